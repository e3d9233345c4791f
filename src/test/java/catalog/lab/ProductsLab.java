package catalog.lab;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The whole system in containers, as docker-compose runs it: the database tier ({@link HaCluster}),
 * Redis, and the API tier ({@link ApiTier}: one instance, or two behind the HTTP front), all on one
 * network. Scenarios drive the API from the host through {@link #entry()} and break any member
 * with the cluster's {@link Faults}.
 */
public final class ProductsLab implements AutoCloseable {
    private final HaCluster cluster;
    private final RedisServer redis;
    private final ApiTier apis;

    /** The lab with one API instance, reached directly. */
    public ProductsLab(LabImages images) {
        this(images, false);
    }

    /** The lab with two API instances behind the HTTP front (front.cfg), as docker-compose.yml runs them. */
    public static ProductsLab behindFront(LabImages images) {
        return new ProductsLab(images, true);
    }

    private ProductsLab(LabImages images, boolean front) {
        cluster = new HaCluster(images);
        redis = new RedisServer(images).withNetwork(cluster.network()).withNetworkAliases("redis");
        String apiImage = ApiContainer.buildImage(images);
        Map<String, String> environment = Map.of(
                "DB_WRITE_URL", cluster.internalUrl(HaCluster.WRITE_PORT),
                "DB_READ_URL", cluster.internalUrl(HaCluster.READ_PORT),
                "DB_USER", cluster.apiUser(),
                "DB_PASSWORD", cluster.apiPassword(),
                "REDIS_URL", "redis://redis:" + RedisServer.PORT,
                "SHUTDOWN_GRACE_SECONDS", "2");
        apis = front ? ApiTier.behindFront(images, apiImage, cluster.network(), environment)
                : ApiTier.oneInstance(apiImage, cluster.network(), environment);
    }

    /** Starts every member; returns once the cluster is healed and every API instance is healthy. */
    public ProductsLab start() {
        try {
            cluster.start();
            redis.start();
            apis.start();
            return this;
        } catch (RuntimeException | AssertionError e) {
            close();
            throw e;
        }
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

    public List<ApiContainer> apis() {
        return apis.instances();
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
        apis.close();
        redis.close();
        cluster.close();
    }
}
