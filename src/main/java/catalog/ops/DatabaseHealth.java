package catalog.ops;

import catalog.db.Databases;
import catalog.db.SqlWork;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The write or read side of the database: reachable, in recovery or not, and for a server in
 * recovery its replay lag (bytes received but not replayed, seconds since the last replayed
 * transaction). The write side is healthy only when it reaches a primary.
 */
public final class DatabaseHealth implements HealthCheck {
    private static final String QUERY = "SELECT pg_is_in_recovery(),"
            + " CASE WHEN pg_is_in_recovery() THEN pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) END,"
            + " CASE WHEN pg_is_in_recovery() THEN EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END";

    private final String name;
    private final boolean write;
    private final Databases databases;

    private DatabaseHealth(String name, boolean write, Databases databases) {
        this.name = name;
        this.write = write;
        this.databases = databases;
    }

    public static DatabaseHealth write(Databases databases) {
        return new DatabaseHealth("write", true, databases);
    }

    public static DatabaseHealth read(Databases databases) {
        return new DatabaseHealth("read", false, databases);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean critical() {
        return write;
    }

    @Override
    public Result check() {
        Map<String, Object> details = new LinkedHashMap<>();
        SqlWork<Boolean> probe = connection -> {
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery(QUERY)) {
                row.next();
                boolean inRecovery = row.getBoolean(1);
                details.put("reachable", true);
                details.put("inRecovery", inRecovery);
                if (inRecovery) {
                    details.put("replayLagBytes", row.getObject(2) == null ? null : row.getLong(2));
                    details.put("secondsSinceLastReplay", row.getObject(3) == null ? null : row.getDouble(3));
                }
                return inRecovery;
            }
        };
        try {
            boolean inRecovery = write ? databases.probeWrite(probe) : databases.probeRead(probe);
            return new Result(!write || !inRecovery, details);
        } catch (SQLException | RuntimeException e) {
            details.put("reachable", false);
            details.put("error", e.getClass().getSimpleName() + (e instanceof SQLException s ? " " + s.getSQLState() : ""));
            return new Result(false, details);
        }
    }
}
