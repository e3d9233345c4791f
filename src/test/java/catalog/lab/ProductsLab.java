package catalog.lab;

import java.util.List;
import java.util.Map;

/**
 * The whole system in containers, as docker-compose runs it: the database tier ({@link HaCluster}),
 * Redis, and the API (a list of instances; one here), all on one network. Scenarios drive the API
 * from the host and break any member with the cluster's {@link Faults}.
 */
public final class ProductsLab implements AutoCloseable {
    private static final List<String> API_NAMES = List.of("api");

    private final HaCluster cluster;
    private final RedisServer redis;
    private final List<ApiContainer> apis;

    public ProductsLab(LabImages images) {
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
        apis = API_NAMES.stream().map(name -> new ApiContainer(apiImage, cluster.network(), name, environment)).toList();
    }

    /** Starts every member; returns once the cluster is healed and every API instance is healthy. */
    public ProductsLab start() {
        try {
            cluster.start();
            redis.start();
            apis.forEach(ApiContainer::start);
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
        return apis;
    }

    /** The first API instance (the only one here). */
    public ApiContainer api() {
        return apis.get(0);
    }

    @Override
    public void close() {
        apis.forEach(ApiContainer::close);
        redis.close();
        cluster.close();
    }
}
