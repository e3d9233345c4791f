package catalog.lab;

import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A streaming replica of a {@link PostgresServer}, made with pg_basebackup and started as a hot
 * standby that applies each commit only {@code applyDelay} after the primary made it
 * ({@code recovery_min_apply_delay}): a replica that is reliably behind, for the lag scenarios.
 * The primary must be on {@code network} under {@code primaryAlias}.
 */
public final class PostgresReplica extends GenericContainer<PostgresReplica> {
    private final PostgresServer primary;

    public PostgresReplica(LabImages images, Network network, PostgresServer primary, String primaryAlias,
            Duration applyDelay) {
        super(images.postgres());
        this.primary = primary;
        withNetwork(network);
        withExposedPorts(PostgresServer.PORT);
        // libpq reads it for pg_basebackup and again for the WAL receiver's streaming connection.
        withEnv("PGPASSWORD", primary.getPassword());
        withCreateContainerCmdModifier(cmd -> cmd.withUser("postgres"));
        withCommand("sh", "-ec", String.join("\n",
                "pg_basebackup -h " + primaryAlias + " -p " + PostgresServer.PORT + " -U " + PostgresServer.USER
                        + " -D /tmp/pgdata -R -X stream",
                "chmod 700 /tmp/pgdata",
                "exec postgres -D /tmp/pgdata -c listen_addresses='*' -c unix_socket_directories=/tmp"
                        + " -c hot_standby=on -c recovery_min_apply_delay=" + applyDelay.toMillis() + "ms"));
        waitingFor(Wait.forLogMessage(".*database system is ready to accept read.only connections.*", 1));
    }

    public String getJdbcUrl() {
        return "jdbc:postgresql://" + getHost() + ":" + getMappedPort(PostgresServer.PORT) + "/" + PostgresServer.DATABASE;
    }

    public String getUsername() {
        return primary.getUsername();
    }

    public String getPassword() {
        return primary.getPassword();
    }

    /** Runs one SQL statement with psql on the replica and returns its unaligned output. */
    public String sql(String statement) {
        return PostgresServer.sql(this, statement);
    }
}
