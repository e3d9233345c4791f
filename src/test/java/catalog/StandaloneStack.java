package catalog;

import catalog.lab.ApiInstances;
import catalog.lab.Eventually;
import catalog.lab.Faults;
import catalog.lab.LabImages;
import catalog.lab.PostgresServer;
import catalog.lab.RedisServer;
import catalog.lab.SharedLab;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;

/**
 * The smallest stack the API runs on: one PostgreSQL (used for writes and reads) and one Redis,
 * in containers, shared by every class that uses {@link WithStandaloneStack}. Gives the API's
 * settings and a few checks made directly on the servers. Scenarios share its database, so each
 * one works on the products it created (counts are taken as differences).
 */
public final class StandaloneStack implements SharedLab {
    private static final Duration BACK_UP = Duration.ofSeconds(30);

    private final PostgresServer postgres;
    private final RedisServer redis;
    private final ApiInstances apis = new ApiInstances();
    private Connection jdbc;

    private StandaloneStack(PostgresServer postgres, RedisServer redis) {
        this.postgres = postgres;
        this.redis = redis;
    }

    static StandaloneStack start() {
        LabImages images = LabImages.fromEnvironment();
        PostgresServer postgres = new PostgresServer(images).withPortKeptAcrossRestarts();
        RedisServer redis = new RedisServer(images).withPortKeptAcrossRestarts();
        postgres.start();
        redis.start();
        return new StandaloneStack(postgres, redis);
    }

    /** The API's settings for this stack. */
    @Override
    public ApiSettings apiSettings() {
        return ApiSettings.withDevKey().writeUrl(postgres.getJdbcUrl()).user(postgres.getUsername())
                .password(postgres.getPassword()).redisUrl(redis.getRedisUrl()).httpThreads(8).writePoolSize(4);
    }

    @Override
    public ApiInstances apis() {
        return apis;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public RedisServer redis() {
        return redis;
    }

    public long productRows() {
        return Long.parseLong(query("SELECT count(*) FROM products"));
    }

    /** The stored name, price and stock of a product, read directly from PostgreSQL ("" if absent). */
    public String productRow(long id) {
        return query("SELECT concat_ws('|', name, price, stock) FROM products WHERE id = " + id);
    }

    /** The first column of the first row, over a JDBC connection kept for the stack's life (psql in the container costs ~100 ms a call). */
    public synchronized String query(String sql) {
        try (Statement statement = connection().createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? String.valueOf(rows.getString(1)) : "";
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    private Connection connection() throws SQLException {
        if (jdbc == null || !jdbc.isValid(2)) {
            jdbc = DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword());
        }
        return jdbc;
    }

    /** The TTL Redis reports for a product's key: -2 when absent, -1 when it never expires. */
    public long cacheTtl(long id) {
        return Long.parseLong(redis.cli("TTL", "product:" + id));
    }

    public String cached(long id) {
        return redis.cli("GET", "product:" + id);
    }

    /** Stops the Redis container: connections are refused from now on (until the stack is healed). */
    public void stopRedis() {
        stop(redis, 1);
    }

    /** Stops the PostgreSQL container (until the stack is healed). */
    public void stopPostgres() {
        stop(postgres, 2);
    }

    /**
     * Brings back what a scenario broke: a paused Redis resumed, a stopped server started again
     * (on the same port), server settings a scenario changed reset.
     */
    @Override
    public synchronized void heal() {
        if (Boolean.TRUE.equals(redis.getDockerClient().inspectContainerCmd(redis.getContainerId()).exec().getState().getPaused())) {
            redis.unpause();
        }
        if (!Faults.isRunning(redis)) {
            redis.getDockerClient().startContainerCmd(redis.getContainerId()).exec();
            Eventually.until(BACK_UP, () -> redis.cli("PING"), "PONG"::equals, "Redis answering PING again");
        }
        if (!Faults.isRunning(postgres)) {
            postgres.getDockerClient().startContainerCmd(postgres.getContainerId()).exec();
            Eventually.until(BACK_UP, () -> query("SELECT 1"), "1"::equals, "PostgreSQL answering again");
        }
        // DemotedPrimaryIT makes the server read-only for the sessions it had, this one included.
        execute("SET default_transaction_read_only = off");
        execute("ALTER SYSTEM RESET ALL");
        execute("ALTER ROLE " + PostgresServer.USER + " RESET ALL");
        postgres.reloadConfiguration();
    }

    private void execute(String sql) {
        try (Statement statement = connection().createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed: " + sql, e);
        }
    }

    private static void stop(GenericContainer<?> server, int graceSeconds) {
        server.getDockerClient().stopContainerCmd(server.getContainerId()).withTimeout(graceSeconds).exec();
    }

    @Override
    public synchronized void close() {
        apis.closeSince(0);
        try {
            if (jdbc != null) {
                jdbc.close();
            }
        } catch (SQLException e) {
            // the server is going away with the container anyway
        }
        redis.stop();
        postgres.stop();
    }
}
