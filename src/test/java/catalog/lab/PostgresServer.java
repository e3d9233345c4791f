package catalog.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.UUID;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A single PostgreSQL server with a database {@code products} owned by {@code products}.
 *
 * <p>Started with an explicit initdb + postgres command as the postgres user, so the official image
 * (whose entrypoint would otherwise initialise it) and the Debian stand-in behave the same.
 * Durability is traded for speed (fsync off): these servers live for one run of the spec.
 */
public final class PostgresServer extends GenericContainer<PostgresServer> {
    public static final int PORT = 5432;
    public static final String DATABASE = "products";
    public static final String USER = "products";

    private final String password = UUID.randomUUID().toString();

    public PostgresServer(LabImages images) {
        super(images.postgres());
        withExposedPorts(PORT);
        withEnv("LAB_DB_PASSWORD", password);
        withCreateContainerCmdModifier(cmd -> cmd.withUser("postgres"));
        // Initialises only on the first start: a server stopped and started again keeps its data.
        withCommand("sh", "-ec", String.join("\n",
                "if [ ! -s /tmp/pgdata/PG_VERSION ]; then",
                "printf '%s' \"$LAB_DB_PASSWORD\" > /tmp/pwfile",
                "initdb -D /tmp/pgdata -U " + USER + " --pwfile=/tmp/pwfile --auth-local=trust"
                        + " --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null",
                "rm /tmp/pwfile",
                "echo \"host all all 0.0.0.0/0 scram-sha-256\" >> /tmp/pgdata/pg_hba.conf",
                // Lets a PostgresReplica stream from this server; nothing else connects this way.
                "echo \"host replication all 0.0.0.0/0 scram-sha-256\" >> /tmp/pgdata/pg_hba.conf",
                "echo 'CREATE DATABASE " + DATABASE + "' | postgres --single -D /tmp/pgdata postgres >/dev/null",
                "fi",
                "exec postgres -D /tmp/pgdata -c listen_addresses='*' -c unix_socket_directories=/tmp"
                        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"));
        waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 1));
    }

    /** Publishes the port on a fixed free host port, so a stopped server comes back at the same address. */
    public PostgresServer withPortKeptAcrossRestarts() {
        return FreePort.publishOn(this, PORT);
    }

    public String getJdbcUrl() {
        return "jdbc:postgresql://" + getHost() + ":" + getMappedPort(PORT) + "/" + DATABASE;
    }

    public String getUsername() {
        return USER;
    }

    public String getPassword() {
        return password;
    }

    /** Runs one SQL statement with psql inside the container and returns its unaligned output. */
    public String sql(String statement) {
        return sql(this, statement);
    }

    /**
     * Asks the server to re-read its configuration and returns once it has. {@code pg_reload_conf()}
     * only signals the postmaster, which re-reads the files and then signals every session: a client
     * that writes right after it can still meet the old settings. A new session reports the
     * postmaster's own load time, so its change means the sessions have been signalled too.
     */
    public void reloadConfiguration() {
        String before = sql("SELECT pg_conf_load_time()");
        sql("SELECT pg_reload_conf()");
        Eventually.until(Duration.ofSeconds(10), () -> sql("SELECT pg_conf_load_time()"),
                loaded -> !loaded.equals(before), "PostgreSQL having re-read its configuration");
    }

    /** Runs one SQL statement with psql in a container of the lab's PostgreSQL image (a server or its replica). */
    static String sql(GenericContainer<?> server, String statement) {
        try {
            ExecResult result = server.execInContainer("psql", "-h", "/tmp", "-U", USER, "-d", DATABASE,
                    "-v", "ON_ERROR_STOP=1", "-tAc", statement);
            if (result.getExitCode() != 0) {
                throw new IllegalStateException("psql failed: " + result.getStderr());
            }
            return result.getStdout().trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
