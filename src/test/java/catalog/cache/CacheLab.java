package catalog.cache;

import catalog.ApiSettings;
import catalog.RunningApi;
import catalog.lab.ApiInstances;
import catalog.lab.LabImages;
import catalog.lab.PostgresReplica;
import catalog.lab.PostgresServer;
import catalog.lab.RedisServer;
import catalog.lab.SharedLab;
import catalog.lab.ToxiproxyServer;
import catalog.lab.ToxiproxyServer.Route;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import org.testcontainers.containers.Network;

/**
 * The cache scenarios' lab, shared by the run ({@link WithCacheLab}): a PostgreSQL primary, Redis,
 * and Toxiproxy on the paths the scenarios break: API -> Redis, API -> the read database, and
 * API -> the write database; a replica that applies commits late is added the first time a
 * scenario asks for it. By default writes go straight to the primary. Verbs name the fault, not
 * the toxic; {@link #heal} removes every toxic.
 */
public final class CacheLab implements SharedLab {
    /** How late the lagging replica applies each commit ({@code recovery_min_apply_delay}). */
    public static final Duration REPLICA_APPLY_DELAY = Duration.ofSeconds(3);
    private static final String TOXIC = "fault";

    private final Network network = Network.newNetwork();
    private final LabImages images = LabImages.fromEnvironment();
    private final PostgresServer primary;
    private final RedisServer redis;
    private final ToxiproxyServer toxiproxy;
    private final Route redisRoute;
    private final Route readRoute;
    private final Route writeRoute;
    private final ApiInstances apis = new ApiInstances();
    private PostgresReplica replica;
    private Route laggingReadRoute;

    private CacheLab() {
        primary = new PostgresServer(images).withNetwork(network).withNetworkAliases("pg-primary");
        redis = new RedisServer(images).withNetwork(network).withNetworkAliases("redis");
        toxiproxy = new ToxiproxyServer(images, network);
        primary.start();
        redis.start();
        toxiproxy.start();
        redisRoute = toxiproxy.proxy("redis", "redis:" + RedisServer.PORT);
        readRoute = toxiproxy.proxy("reads", "pg-primary:" + PostgresServer.PORT);
        writeRoute = toxiproxy.proxy("writes", "pg-primary:" + PostgresServer.PORT);
    }

    /** Primary, Redis and Toxiproxy; reads go to the primary through their own proxy. */
    static CacheLab start() {
        return new CacheLab();
    }

    /**
     * The API's settings on this lab: writes straight to the primary, reads and Redis through
     * Toxiproxy.
     */
    @Override
    public ApiSettings apiSettings() {
        return ApiSettings.withDevKey().writeUrl(primary.getJdbcUrl()).readUrl(jdbcUrl(readRoute))
                .user(primary.getUsername()).password(primary.getPassword())
                .redisUrl(redis.urlThrough(redisRoute.host(), redisRoute.port())).httpThreads(16);
    }

    @Override
    public ApiInstances apis() {
        return apis;
    }

    /** The write database through Toxiproxy (for an API whose write path a scenario stalls). */
    public String proxiedWriteUrl() {
        return jdbcUrl(writeRoute);
    }

    /**
     * Reads through two paths, as the stack's URL lists two HAProxies: each new connection tries the
     * read proxy first and the primary itself when the proxy refuses (pgjdbc's host list in order;
     * hostRecheckSeconds=0: it does not remember a refusal, which it would JVM-wide for 10 s).
     */
    public String readUrlWithTwoPaths() {
        return "jdbc:postgresql://" + readRoute.host() + ":" + readRoute.port() + "," + primary.getHost() + ":"
                + primary.getMappedPort(PostgresServer.PORT) + "/" + PostgresServer.DATABASE + "?hostRecheckSeconds=0";
    }

    /** The primary itself, bypassing the proxies. */
    public String primaryUrl() {
        return primary.getJdbcUrl();
    }

    /**
     * Reads from a streaming replica that applies each commit {@link #REPLICA_APPLY_DELAY} late,
     * through Toxiproxy; the replica is started on the first call (once per run).
     */
    public String laggingReplicaUrl() {
        return jdbcUrl(laggingReplica());
    }

    private synchronized Route laggingReplica() {
        if (replica == null) {
            replica = new PostgresReplica(images, network, primary, "pg-primary", REPLICA_APPLY_DELAY)
                    .withNetworkAliases("pg-replica");
            replica.start();
            laggingReadRoute = toxiproxy.proxy("lagging-reads", "pg-replica:" + PostgresServer.PORT);
        }
        return laggingReadRoute;
    }

    private static String jdbcUrl(Route route) {
        return "jdbc:postgresql://" + route.host() + ":" + route.port() + "/" + PostgresServer.DATABASE;
    }

    /**
     * Redis without the proxy: an API started with {@code s -> s.redisUrl(lab.directRedisUrl())} keeps a
     * healthy cache while the proxied one is broken, so both paths can be timed side by side.
     */
    public String directRedisUrl() {
        return redis.getRedisUrl();
    }

    /** Redis through its proxy, as an API started on this lab reaches it (the path the Redis verbs act on). */
    public String proxiedRedisUrl() {
        return redis.urlThrough(redisRoute.host(), redisRoute.port());
    }

    /** What Redis itself holds for a product (empty when nothing), bypassing the proxy. */
    public String cached(long id) {
        return redis.cli("GET", "product:" + id);
    }

    /** Runs a command on Redis itself, bypassing the proxy, as any other client of it would. */
    public String redisCli(String... command) {
        return redis.cli(command);
    }

    /** How many times Redis ran {@code command} since it started (INFO commandstats). */
    public long redisCalls(String command) {
        for (String line : redis.cli("INFO", "commandstats").split("\\R")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
            }
        }
        return 0;
    }

    public void flushRedis() {
        redis.cli("FLUSHALL");
    }

    /** A direct JDBC connection to the primary, for checks that must be fast (no docker exec). */
    public Connection primaryConnection() throws SQLException {
        return DriverManager.getConnection(primary.getJdbcUrl(), primary.getUsername(), primary.getPassword());
    }

    public String primarySql(String statement) {
        return primary.sql(statement);
    }

    /** Runs SQL on the lagging replica directly (starting it, the first time). */
    public String replicaSql(String statement) {
        laggingReplica();
        return replica.sql(statement);
    }

    /** Every Redis answer arrives {@code latency} late. */
    public void slowRedis(Duration latency) {
        redisRoute.change(p -> p.toxics().latency(TOXIC, ToxicDirection.DOWNSTREAM, latency.toMillis()));
    }

    /** Redis accepts connections but never answers (a hung peer). */
    public void blackHoleRedis() {
        redisRoute.change(p -> p.toxics().timeout(TOXIC, ToxicDirection.UPSTREAM, 0));
    }

    /**
     * Nothing passes either way on the Redis path, connections kept open: not even what Redis pushes
     * unasked (a client-side cache's invalidations) arrives (a path lost between hosts).
     */
    public void blackHoleRedisBothWays() {
        redisRoute.change(p -> {
            p.toxics().timeout(TOXIC + "-up", ToxicDirection.UPSTREAM, 0);
            p.toxics().timeout(TOXIC + "-down", ToxicDirection.DOWNSTREAM, 0);
        });
    }

    /** Redis refuses connections and open ones are closed (a fast "down"). */
    public void cutRedis() {
        redisRoute.change(Proxy::disable);
    }

    public void healRedis() {
        redisRoute.heal();
    }

    /** Every answer from the read database arrives {@code latency} late (queries run on time). */
    public void slowReads(Duration latency) {
        readRoute.change(p -> p.toxics().latency(TOXIC, ToxicDirection.DOWNSTREAM, latency.toMillis()));
    }

    public void healReads() {
        readRoute.heal();
    }

    /** The read proxy closes its connections and refuses new ones (a path to the database gone). */
    public void cutReads() {
        readRoute.change(Proxy::disable);
    }

    /** The write proxy closes its connections and refuses new ones (no primary to be had). */
    public void cutWrites() {
        writeRoute.change(Proxy::disable);
    }

    /** The write path stalls: connections stay open, nothing comes back (a hung primary or network). */
    public void stallWrites() {
        writeRoute.change(p -> p.toxics().timeout(TOXIC, ToxicDirection.UPSTREAM, 0));
    }

    /** Redis itself frozen (docker pause): every client's connections stay open, nothing answers. */
    public void freezeRedis() {
        redis.pause();
    }

    public void thawRedis() {
        redis.unpause();
    }

    /** Thaws Redis, removes every toxic and enables every proxy. */
    @Override
    public synchronized void heal() {
        if (Boolean.TRUE.equals(redis.getDockerClient().inspectContainerCmd(redis.getContainerId()).exec().getState().getPaused())) {
            redis.unpause();
        }
        redisRoute.heal();
        readRoute.heal();
        writeRoute.heal();
        if (laggingReadRoute != null) {
            laggingReadRoute.heal();
        }
    }

    @Override
    public void close() {
        apis.closeSince(0);
        toxiproxy.stop();
        redis.stop();
        if (replica != null) {
            replica.stop();
        }
        primary.stop();
        network.close();
    }
}
