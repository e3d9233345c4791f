package catalog;

import catalog.access.Gate;
import catalog.admission.Bulkhead;
import catalog.admission.Lane;
import catalog.admission.Overloaded;
import catalog.admission.Shedding;
import catalog.cache.CacheLayers;
import catalog.cache.CacheMetrics;
import catalog.cache.ProductCache;
import catalog.db.DatabaseUnavailableException;
import catalog.db.Databases;
import catalog.db.RecentWrites;
import catalog.db.Schema;
import catalog.http.AccessMetrics;
import catalog.http.ApiServer;
import catalog.http.Handler;
import catalog.http.Problem;
import catalog.http.Router;
import catalog.ops.ApiDocument;
import catalog.ops.CacheHealth;
import catalog.ops.Config;
import catalog.ops.DatabaseGauges;
import catalog.ops.DatabaseHealth;
import catalog.ops.HealthHandler;
import catalog.ops.MetricsHandler;
import catalog.products.ExpiredKeyPurge;
import catalog.products.ProductHandlers;
import catalog.products.ProductRepository;
import catalog.products.ProductService;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * One running API: the pools, the cache, the service and the HTTP server, wired from a
 * {@link Config}. No static state: a test starts one on port 0 and closes it.
 */
public final class ProductsApi implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProductsApi.class.getName());
    private static final Duration SCHEMA_PATIENCE = Duration.ofSeconds(30);
    /** Seconds a client should wait before retrying while the database is unavailable. */
    static final int RETRY_AFTER_SECONDS = 2;

    private final Config config;
    private final Databases databases;
    private final ProductCache cache;
    private final CacheMetrics cacheMetrics = new CacheMetrics();
    private final AccessMetrics accessMetrics = new AccessMetrics();
    private final Shedding shedding = new Shedding();
    private final HealthHandler health;
    private final ExpiredKeyPurge keyPurge;
    private final ApiServer server;

    /**
     * Bottom up: the pools and the schema, the cache, the repository and the service, health and
     * metrics, the routes and the server. A start that fails part-way closes what it opened.
     */
    private ProductsApi(Config config) throws IOException {
        this.config = config;
        config.warnings().forEach(LOG::warning);
        this.databases = Databases.open(config.database(), new Bulkhead(config.admission().reads(),
                Shedding.Reason.DB_READ, RETRY_AFTER_SECONDS, shedding));
        CacheLayers opened = null;
        try {
            Schema.apply(databases, SCHEMA_PATIENCE);
            opened = CacheLayers.open(config.cache(), 2 * config.http().threads(), cacheMetrics);
            this.cache = opened.top();
            Duration keyTtl = Duration.ofSeconds(config.http().idempotencyKeyTtlSeconds());
            ProductRepository repository = new ProductRepository(databases, RecentWrites.withDefaults(), keyTtl);
            this.health = new HealthHandler(List.of(DatabaseHealth.write(databases), DatabaseHealth.read(databases),
                    new CacheHealth(cache)));
            MetricsHandler metrics = new MetricsHandler(List.of(accessMetrics, shedding, cacheMetrics, opened.guarded(),
                    repository, new DatabaseGauges(databases::reportTo)));
            Router router = routes(new ProductHandlers(new ProductService(repository, cache)), health::handle,
                    metrics::handle, ApiDocument.fromClassPath());
            this.server = listen(router);
            this.keyPurge = new ExpiredKeyPurge(repository, keyTtl);
        } catch (RuntimeException | IOException e) {
            if (opened != null) {
                opened.top().close();   // its threads (deadline timer, invalidation feed) must not outlive a failed start
            }
            databases.close();
            throw e;
        }
        LOG.info("products API listening on port " + server.port() + " (" + config + ")");
    }

    /** Starts listening: request workers and their waiting room, writes in their own lane, problems for failures. */
    private ApiServer listen(Router router) throws IOException {
        Config.WaitingRoom queue = config.admission().httpQueue();
        return ApiServer.builder(router, accessMetrics)
                .port(config.http().port())
                .gate(new Gate(config.access().keys(), config.access().readsNeedKey()))
                .threads(config.http().threads())
                .queue(queue.max(), queue.maxWait(), shedding)
                .writes(new Lane("writes", config.admission().writes(), Lane.Refusals.WRITES, Lane.named("db-writer-")))
                .neverShed("/health/live")
                .neverShed("/metrics")
                .map(Overloaded.class, e -> Problem.serviceUnavailable(e.getMessage(), e.retryAfterSeconds()))
                .map(DatabaseUnavailableException.class, e -> Problem.serviceUnavailable(
                        "the database is unavailable (it may be failing over); retry shortly", RETRY_AFTER_SECONDS))
                .start();
    }

    /**
     * Every route the API answers. openapi.yaml must have a path for each, and no other:
     * {@code ProductsApiRoutesTest} compares them.
     */
    static Router routes(ProductHandlers products, Handler health, Handler metrics, ApiDocument document) {
        return products.routes(new Router())
                .get("/health", health)
                .get("/health/live", HealthHandler::live)
                .get("/metrics", metrics)
                .get("/openapi.json", document::json)
                .get("/openapi.yaml", document::yaml);
    }

    /** Opens the pools, applies the schema, connects the cache and starts listening. */
    public static ProductsApi start(Config config) throws IOException {
        return new ProductsApi(config);
    }

    public int port() {
        return server.port();
    }

    public URI baseUri() {
        return URI.create("http://localhost:" + port());
    }

    public CacheMetrics cacheMetrics() {
        return cacheMetrics;
    }

    public AccessMetrics accessMetrics() {
        return accessMetrics;
    }

    public Shedding shedding() {
        return shedding;
    }

    /** Graceful: stop accepting, let in-flight requests finish (bounded), then close the pools. */
    @Override
    public void close() {
        server.stop(config.http().shutdownGraceSeconds());
        keyPurge.close();
        health.close();
        cache.close();
        databases.close();
    }
}
