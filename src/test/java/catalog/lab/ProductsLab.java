package catalog.lab;

import catalog.ApiSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The whole system in containers, as docker-compose runs it: the database tier ({@link HaCluster}),
 * Redis, and the API tier ({@link ApiTier}: one instance), all on one network; shared by the run
 * ({@link WithProductsLab}). Scenarios drive the API from the host through {@link #entry()} and
 * break any member with the cluster's {@link Faults}; {@link #behindFront()} adds the compose API
 * tier (two instances behind the HTTP front) on the same cluster.
 */
public final class ProductsLab implements SharedLab {
    private static final Duration WHOLE = Duration.ofSeconds(60);

    private final LabImages images;
    private final HaCluster cluster;
    private final RedisServer redis;
    private final ApiTier apis;
    private final ApiInstances started;
    private final boolean shared;

    private ProductsLab(LabImages images, HaCluster cluster, RedisServer redis, ApiTier apis, ApiInstances started,
            boolean shared) {
        this.images = images;
        this.cluster = cluster;
        this.redis = redis;
        this.apis = apis;
        this.started = started;
        this.shared = shared;
    }

    /** Starts every member; returns once the cluster is healed and the API instance is healthy. */
    static ProductsLab start(LabImages images) {
        HaCluster cluster = new HaCluster(images);
        RedisServer redis = new RedisServer(images).withNetwork(cluster.network()).withNetworkAliases("redis");
        ApiTier apis = ApiTier.oneInstance(ApiContainer.buildImage(images), cluster.network(), containerSettings(cluster, redis).environment());
        ProductsLab lab = new ProductsLab(images, cluster, redis, apis, new ApiInstances(), true);
        try {
            cluster.start();
            redis.start();
            apis.start();
            return lab;
        } catch (RuntimeException | AssertionError e) {
            lab.close();
            throw e;
        }
    }

    /** The API's settings inside the lab network (for API containers). */
    private static ApiSettings containerSettings(HaCluster cluster, RedisServer redis) {
        return ApiSettings.withDevKey().writeUrl(cluster.internalUrl(HaCluster.WRITE_PORT))
                .readUrl(cluster.internalUrl(HaCluster.READ_PORT)).user(cluster.apiUser()).password(cluster.apiPassword())
                .redisUrl(redis.internalUrl("redis")).shutdownGrace(Duration.ofSeconds(2));
    }

    /**
     * This lab seen through two more API instances behind the HTTP front (front.cfg), as
     * docker-compose.yml runs them, on the same cluster and Redis. They are closed after the class
     * or scenario that asked for them; the lab stays.
     */
    public ProductsLab behindFront() {
        ApiTier tier = ApiTier.behindFront(images, ApiContainer.buildImage(images), cluster.network(),
                containerSettings(cluster, redis).environment());
        started.add(tier);
        tier.start();
        return new ProductsLab(images, cluster, redis, tier, started, false);
    }

    /** An API in-process on the host goes through the HAProxies' published ports, and to Redis'. */
    @Override
    public ApiSettings apiSettings() {
        return ApiSettings.withDevKey()
                .writeUrl("jdbc:postgresql://" + cluster.haproxyAddress(HaCluster.WRITE_PORT) + "/" + ClusterSecrets.DATABASE)
                .readUrl("jdbc:postgresql://" + cluster.haproxyAddress(HaCluster.READ_PORT) + "/" + ClusterSecrets.DATABASE)
                .user(cluster.apiUser()).password(cluster.apiPassword()).redisUrl(redis.getRedisUrl());
    }

    @Override
    public ApiInstances apis() {
        return started;
    }

    /** Undoes every fault (thaw, reconnect, start) and waits until the cluster and the API tier are whole. */
    @Override
    public void heal() {
        cluster.heal();
        apis.awaitWhole(WHOLE);
    }

    public HaCluster cluster() {
        return cluster;
    }

    public Faults faults() {
        return cluster.faults();
    }

    public RedisServer redis() {
        return redis;
    }

    public ApiTier apiTier() {
        return apis;
    }

    /** The first API instance (the only one, unless behind the front). */
    public ApiContainer api() {
        return apis.instances().get(0);
    }

    /** Where the load goes: the front when there is one, else the only instance. */
    public URI entry() {
        return apis.entry();
    }

    @Override
    public void close() {
        if (!shared) {
            apis.close();
            return;
        }
        started.closeSince(0);
        apis.close();
        redis.close();
        cluster.close();
    }
}
