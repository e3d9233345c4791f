package catalog;

import catalog.lab.LabImages;
import catalog.lab.PostgresServer;
import catalog.lab.RedisServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The smallest stack the API runs on: one PostgreSQL (used for writes and reads) and one Redis,
 * in containers. Gives the API's settings and a few checks made directly on the servers. Closing
 * the stack also closes every API started on it, so a test class holds one resource.
 */
public final class StandaloneStack implements AutoCloseable {
    private final PostgresServer postgres;
    private final RedisServer redis;
    private final List<RunningApi> apis = new ArrayList<>();
    private Connection jdbc;

    private StandaloneStack(PostgresServer postgres, RedisServer redis) {
        this.postgres = postgres;
        this.redis = redis;
    }

    public static StandaloneStack start() {
        LabImages images = LabImages.fromEnvironment();
        PostgresServer postgres = new PostgresServer(images);
        RedisServer redis = new RedisServer(images);
        postgres.start();
        redis.start();
        return new StandaloneStack(postgres, redis);
    }

    /** The API's environment for this stack, plus overrides given as name/value pairs. */
    public Map<String, String> apiEnvironment(String... overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("DB_WRITE_URL", postgres.getJdbcUrl());
        env.put("DB_USER", postgres.getUsername());
        env.put("DB_PASSWORD", postgres.getPassword());
        env.put("REDIS_URL", redis.getRedisUrl());
        env.put("HTTP_THREADS", "8");
        env.put("DB_WRITE_POOL_SIZE", "4");
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            env.put(overrides[i], overrides[i + 1]);
        }
        return env;
    }

    public synchronized RunningApi startApi(String... overrides) {
        RunningApi api = RunningApi.start(apiEnvironment(overrides));
        apis.add(api);
        return api;
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
        try {
            if (jdbc == null || jdbc.isClosed()) {
                jdbc = DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword());
            }
            try (Statement statement = jdbc.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                return rows.next() ? String.valueOf(rows.getString(1)) : "";
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    /** The TTL Redis reports for a product's key: -2 when absent, -1 when it never expires. */
    public long cacheTtl(long id) {
        return Long.parseLong(redis.cli("TTL", "product:" + id));
    }

    public String cached(long id) {
        return redis.cli("GET", "product:" + id);
    }

    /** Stops the Redis container: connections are refused from now on. */
    public void stopRedis() {
        redis.getDockerClient().stopContainerCmd(redis.getContainerId()).withTimeout(1).exec();
    }

    @Override
    public synchronized void close() {
        apis.forEach(RunningApi::close);
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
