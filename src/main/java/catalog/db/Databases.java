package catalog.db;

import catalog.ops.MetricSource;
import catalog.ops.PrometheusText;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The two pools: writes go to the write URL (the primary through HAProxy), reads to the read URL
 * (a replica). A read that fails on the read pool is tried once more on the write pool, so reads
 * survive a replica outage. When both URLs are the same there is one pool.
 */
public final class Databases implements MetricSource, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Databases.class.getName());

    private final HikariDataSource write;
    private final HikariDataSource read;

    private Databases(HikariDataSource write, HikariDataSource read) {
        this.write = write;
        this.read = read;
    }

    public static Databases open(String writeUrl, String readUrl, String user, String password,
                                 int writePoolSize, int readPoolSize) {
        HikariDataSource write = PoolFactory.open("write", writeUrl, user, password, writePoolSize);
        HikariDataSource read = writeUrl.equals(readUrl) ? write
                : PoolFactory.open("read", readUrl, user, password, readPoolSize);
        return new Databases(write, read);
    }

    public <T> T write(SqlWork<T> work) {
        try {
            return run(write, work);
        } catch (SQLException e) {
            throw translate("write", e);
        }
    }

    public <T> T read(SqlWork<T> work) {
        try {
            return run(read, work);
        } catch (SQLException first) {
            if (read == write) {
                throw translate("read", first);
            }
            LOG.log(Level.FINE, "read pool failed, retrying on the write pool", first);
            try {
                return run(write, work);
            } catch (SQLException second) {
                second.addSuppressed(first);
                throw translate("read", second);
            }
        }
    }

    /** Runs work on the write pool without translating failures (health checks report them). */
    public <T> T probeWrite(SqlWork<T> work) throws SQLException {
        return run(write, work);
    }

    /** Runs work on the read pool only, no fallback (health checks report each side). */
    public <T> T probeRead(SqlWork<T> work) throws SQLException {
        return run(read, work);
    }

    public boolean separateReadPool() {
        return read != write;
    }

    private static <T> T run(HikariDataSource pool, SqlWork<T> work) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            return work.apply(connection);
        }
    }

    private static RuntimeException translate(String what, SQLException e) {
        if (SqlFailures.isUnavailable(e)) {
            return new DatabaseUnavailableException("the database is unavailable for a " + what
                    + " (" + e.getSQLState() + ")", e);
        }
        return new IllegalStateException("database " + what + " failed: " + e.getSQLState(), e);
    }

    @Override
    public void writeTo(PrometheusText out) {
        out.family("db_pool_connections", "gauge", "HikariCP connections by pool and state.");
        pool(out, write);
        if (read != write) {
            pool(out, read);
        }
    }

    private static void pool(PrometheusText out, HikariDataSource pool) {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean == null) {
            return;
        }
        String name = pool.getPoolName();
        out.sample("db_pool_connections", bean.getActiveConnections(), "pool", name, "state", "active");
        out.sample("db_pool_connections", bean.getIdleConnections(), "pool", name, "state", "idle");
        out.sample("db_pool_connections", bean.getTotalConnections(), "pool", name, "state", "total");
        out.sample("db_pool_connections", bean.getThreadsAwaitingConnection(), "pool", name, "state", "pending");
        out.sample("db_pool_connections", pool.getMaximumPoolSize(), "pool", name, "state", "max");
    }

    @Override
    public void close() {
        if (read != write) {
            read.close();
        }
        write.close();
    }
}
