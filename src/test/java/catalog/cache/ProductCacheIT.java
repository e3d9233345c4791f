package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.cache.CacheLookup.Status;
import catalog.cache.CircuitBreaker.Settings;
import catalog.lab.LabImages;
import catalog.lab.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import java.net.URI;

/**
 * The cache's rules against a real Redis, below the HTTP layer: leases, fills, invalidations kept
 * while Redis is away. (The API-level scenarios are in {@link CacheResilienceIT}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one Redis for the class, held by the instance
class ProductCacheIT {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Duration COOL_DOWN = Duration.ofMillis(500);

    private static final String PRODUCT_1 = "{\"id\":1,\"name\":\"Lampe\",\"price\":10.00,\"stock\":1}";

    private RedisServer redisServer;
    private final CacheMetrics metrics = new CacheMetrics();
    private RedisProductCache redis;
    private GuardedProductCache cache;

    @BeforeAll
    void startRedis() {
        redisServer = new RedisServer(LabImages.fromEnvironment());
        redisServer.start();
    }

    @AfterAll
    void stopRedis() {
        redisServer.stop();
    }

    @BeforeEach
    void newCache() {
        redisServer.cli("FLUSHALL");
        int ms = (int) TIMEOUT.toMillis();
        redis = new RedisProductCache(new RedisCalls(URI.create(redisServer.getRedisUrl()), ms, 4, 16, metrics),
                metrics, 60, Duration.ofSeconds(10), Duration.ofSeconds(60));
        cache = newCache(new PendingInvalidations(PendingInvalidations.DEFAULT_BOUND));
    }

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    @DisplayName("a miss takes a lease, its fill is stored with the TTL and the next lookup hits")
    void missFillHit() throws Exception {
        CacheLookup miss = cache.get(1);
        assertThat(miss.status()).isEqualTo(Status.MISS);
        assertThat(miss.lease()).isNotNull();
        cache.fill(1, miss, PRODUCT_1);
        awaitValue(1, PRODUCT_1);
        assertThat(Long.parseLong(redisServer.cli("TTL", "product:1"))).isBetween(55L, 60L);
        assertThat(cache.get(1)).isEqualTo(CacheLookup.hit(PRODUCT_1));
        assertThat(redisServer.cli("EXISTS", "product:1:lease")).isEqualTo("0");
    }

    @Test
    @DisplayName("a lookup costs Redis one round trip, hit or miss: one EVALSHA, no separate GET")
    void lookupIsOneScript() {
        redisServer.cli("SET", "product:9", PRODUCT_1.replace("\"id\":1", "\"id\":9"));
        cache.get(7);   // a first miss: Redis now knows the script, so the next one is one EVALSHA
        redisServer.cli("CONFIG", "RESETSTAT");
        assertThat(cache.get(9).status()).isEqualTo(Status.HIT);
        assertThat(calls("evalsha")).isEqualTo(1);
        assertThat(cache.get(8).status()).isEqualTo(Status.MISS);
        assertThat(calls("evalsha")).isEqualTo(2);
        assertThat(calls("eval")).isZero();
        assertThat(calls("get")).as("GETs, the scripts' own included").isEqualTo(3);   // the hit's value; the miss's value and marker
    }

    /** How many times Redis ran a command since the last CONFIG RESETSTAT (INFO commandstats). */
    private long calls(String command) {
        for (String line : redisServer.cli("INFO", "commandstats").split("\\R")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
            }
        }
        return 0;
    }

    @Test
    @DisplayName("a fill whose lease a write invalidated in the meantime is dropped")
    void staleFillDropped() throws Exception {
        CacheLookup slowReader = cache.get(2);
        cache.invalidate(2, null);
        cache.fill(2, slowReader, "{\"price\":\"old\"}");
        awaitUntil(() -> metrics.fillsDropped() == 1);
        assertThat(redisServer.cli("EXISTS", "product:2")).isEqualTo("0");
    }

    @Test
    @DisplayName("a write leaves its WAL position for the next miss on any instance, and an older one never replaces it")
    void writeMarker() {
        cache.invalidate(5, "0/3000100");
        cache.invalidate(5, "0/3000060");
        CacheLookup miss = cache.get(5);
        assertThat(miss.writtenAt()).isEqualTo("0/3000100");
        cache.invalidate(5, "1/0");
        assertThat(cache.get(5).writtenAt()).isEqualTo("1/0");
        assertThat(Long.parseLong(redisServer.cli("PTTL", "product:5:written"))).isBetween(1L, 60_000L);
        assertThat(cache.get(6).writtenAt()).isNull();
    }

    @Test
    @DisplayName("a second reader that misses while the first holds the lease does not fill")
    void leaseHeldByAnother() {
        CacheLookup first = cache.get(3);
        CacheLookup second = cache.get(3);
        assertThat(second.status()).isEqualTo(Status.MISS);
        assertThat(second.lease()).isNull();
        assertThat(first.lease()).isNotNull();
    }

    @Test
    @DisplayName("an invalidation that cannot reach Redis is replayed before the cache is read again")
    void invalidationReplayed() throws Exception {
        redisServer.cli("SET", "product:4", "{\"id\":4,\"name\":\"Lampe\",\"price\":10.00,\"stock\":1}");
        redisServer.pause();
        try {
            cache.invalidate(4, null);
            assertThat(cache.details()).containsEntry("pendingInvalidations", 1);
        } finally {
            redisServer.unpause();
        }
        Thread.sleep(COOL_DOWN.toMillis());
        assertThat(cache.get(4).status()).isEqualTo(Status.MISS);
        assertThat(cache.details()).containsEntry("pendingInvalidations", 0);
    }

    @Test
    @DisplayName("past the bound of pending invalidations, recovery drops every product key")
    void overflowDropsAll() throws Exception {
        cache = newCache(new PendingInvalidations(2));
        for (int id = 10; id < 20; id++) {
            redisServer.cli("SET", "product:" + id, "old");
        }
        redisServer.cli("SET", "session:1", "not a product");
        redisServer.pause();
        try {
            for (int id = 10; id < 13; id++) {
                cache.invalidate(id, null);
            }
            assertThat(cache.details()).containsEntry("pendingDropAll", true);
        } finally {
            redisServer.unpause();
        }
        Thread.sleep(COOL_DOWN.toMillis());
        assertThat(cache.get(15).status()).isEqualTo(Status.MISS);
        assertThat(redisServer.cli("KEYS", "product:1?")).isEmpty();
        assertThat(redisServer.cli("GET", "session:1")).isEqualTo("not a product");
    }

    private GuardedProductCache newCache(PendingInvalidations pending) {
        return new GuardedProductCache(redis, new CircuitBreaker(new Settings(1, COOL_DOWN), System::nanoTime), pending);
    }

    private void awaitValue(long id, String expected) throws InterruptedException {
        awaitUntil(() -> expected.equals(redisServer.cli("GET", "product:" + id)));
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
