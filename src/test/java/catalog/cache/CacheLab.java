package catalog.cache;

import catalog.RunningApi;
import catalog.lab.LabImages;
import catalog.lab.PostgresReplica;
import catalog.lab.PostgresServer;
import catalog.lab.RedisServer;
import catalog.lab.ToxiproxyServer;
import catalog.lab.ToxiproxyServer.Route;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.testcontainers.containers.Network;

/**
 * The cache scenarios' lab: a PostgreSQL primary (and, when asked, a replica that applies commits
 * late), Redis, and Toxiproxy on the two paths the scenarios break: API -> Redis and API -> the
 * read database. Writes go straight to the primary. Verbs name the fault, not the toxic.
 */
final class CacheLab implements AutoCloseable {
    private static final String TOXIC = "fault";

    private final Network network = Network.newNetwork();
    private final PostgresServer primary;
    private final PostgresReplica replica;
    private final RedisServer redis;
    private final ToxiproxyServer toxiproxy;
    private final Route redisRoute;
    private final Route readRoute;

    private CacheLab(Duration replicaApplyDelay) {
        LabImages images = LabImages.fromEnvironment();
        primary = new PostgresServer(images).withNetwork(network).withNetworkAliases("pg-primary");
        replica = replicaApplyDelay == null ? null
                : new PostgresReplica(images, network, primary, "pg-primary", replicaApplyDelay)
                        .withNetworkAliases("pg-replica");
        redis = new RedisServer(images).withNetwork(network).withNetworkAliases("redis");
        toxiproxy = new ToxiproxyServer(images, network);
        primary.start();
        redis.start();
        toxiproxy.start();
        if (replica != null) {
            replica.start();
        }
        redisRoute = toxiproxy.proxy("redis", "redis:" + RedisServer.PORT);
        readRoute = toxiproxy.proxy("reads", (replica == null ? "pg-primary" : "pg-replica") + ":" + PostgresServer.PORT);
    }

    /** Primary, Redis and Toxiproxy; reads go to the primary through their own proxy. */
    static CacheLab start() {
        return new CacheLab(null);
    }

    /** Same, plus a streaming replica that applies each commit {@code applyDelay} late; reads go to it. */
    static CacheLab withLaggingReplica(Duration applyDelay) {
        return new CacheLab(applyDelay);
    }

    /**
     * Starts an API in-process: writes straight to the primary, reads and Redis through Toxiproxy.
     * Overrides are environment name/value pairs (e.g. "REDIS_TIMEOUT_MS", "500").
     */
    RunningApi startApi(String... overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("DB_WRITE_URL", primary.getJdbcUrl());
        env.put("DB_READ_URL", "jdbc:postgresql://" + readRoute.host() + ":" + readRoute.port() + "/" + PostgresServer.DATABASE);
        env.put("DB_USER", primary.getUsername());
        env.put("DB_PASSWORD", primary.getPassword());
        env.put("REDIS_URL", "redis://" + redisRoute.host() + ":" + redisRoute.port());
        env.put("HTTP_THREADS", "16");
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            env.put(overrides[i], overrides[i + 1]);
        }
        return RunningApi.start(env);
    }

    /**
     * Redis without the proxy: an API started with {@code "REDIS_URL", lab.directRedisUrl()} keeps a
     * healthy cache while the proxied one is broken, so both paths can be timed side by side.
     */
    String directRedisUrl() {
        return redis.getRedisUrl();
    }

    /** What Redis itself holds for a product (empty when nothing), bypassing the proxy. */
    String cached(long id) {
        return redis.cli("GET", "product:" + id);
    }

    /** Runs a command on Redis itself, bypassing the proxy, as any other client of it would. */
    String redisCli(String... command) {
        return redis.cli(command);
    }

    /** How many times Redis ran {@code command} since it started (INFO commandstats). */
    long redisCalls(String command) {
        for (String line : redis.cli("INFO", "commandstats").split("\\R")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
            }
        }
        return 0;
    }

    void flushRedis() {
        redis.cli("FLUSHALL");
    }

    /** A direct JDBC connection to the primary, for checks that must be fast (no docker exec). */
    Connection primaryConnection() throws SQLException {
        return DriverManager.getConnection(primary.getJdbcUrl(), primary.getUsername(), primary.getPassword());
    }

    String primarySql(String statement) {
        return primary.sql(statement);
    }

    /** Runs SQL on the lagging replica directly (only in {@link #withLaggingReplica} labs). */
    String replicaSql(String statement) {
        return replica.sql(statement);
    }

    /** Every Redis answer arrives {@code latency} late. */
    void slowRedis(Duration latency) {
        toxic(redisRoute.proxy(), p -> p.toxics().latency(TOXIC, ToxicDirection.DOWNSTREAM, latency.toMillis()));
    }

    /** Redis accepts connections but never answers (a hung peer). */
    void blackHoleRedis() {
        toxic(redisRoute.proxy(), p -> p.toxics().timeout(TOXIC, ToxicDirection.UPSTREAM, 0));
    }

    /** Redis refuses connections and open ones are closed (a fast "down"). */
    void cutRedis() {
        toxic(redisRoute.proxy(), Proxy::disable);
    }

    void healRedis() {
        heal(redisRoute.proxy());
    }

    /** Every answer from the read database arrives {@code latency} late (queries run on time). */
    void slowReads(Duration latency) {
        toxic(readRoute.proxy(), p -> p.toxics().latency(TOXIC, ToxicDirection.DOWNSTREAM, latency.toMillis()));
    }

    void healReads() {
        heal(readRoute.proxy());
    }

    @Override
    public void close() {
        toxiproxy.stop();
        redis.stop();
        if (replica != null) {
            replica.stop();
        }
        primary.stop();
        network.close();
    }

    private static void heal(Proxy proxy) {
        toxic(proxy, p -> {
            for (Toxic toxic : p.toxics().getAll()) {
                toxic.remove();
            }
            p.enable();
        });
    }

    private interface ProxyChange {
        void apply(Proxy proxy) throws IOException;
    }

    private static void toxic(Proxy proxy, ProxyChange change) {
        try {
            change.apply(proxy);
        } catch (IOException e) {
            throw new UncheckedIOException("toxiproxy refused a change to " + proxy.getName(), e);
        }
    }
}
