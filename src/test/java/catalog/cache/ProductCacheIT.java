package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.cache.CacheLookup.Status;
import catalog.cache.CircuitBreaker.Settings;
import catalog.lab.Eventually;
import catalog.ops.Config;
import catalog.report.SpecReport;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cache's rules against a real Redis, below the HTTP layer: leases, fills, invalidations kept
 * while Redis is away. (The API-level scenarios are in {@link RedisFaultsIT} and {@link NearCacheIT}.)
 */
@Tag("cache")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(WithCacheLab.class) // the run's Redis, used directly: no API here
@DisplayName("The product cache on a real Redis")
@ExtendWith(SpecReport.class)
class ProductCacheIT {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Duration COOL_DOWN = Duration.ofMillis(500);

    private static final String PRODUCT_1 = "{\"id\":1,\"name\":\"Lampe\",\"price\":10.00,\"stock\":1}";

    private CacheLab lab;
    private final CacheMetrics metrics = new CacheMetrics();
    private RedisProductCache redis;
    private GuardedProductCache cache;

    @BeforeAll
    void useTheLabsRedis(CacheLab lab) {
        this.lab = lab;
    }

    @BeforeEach
    void newCache() {
        lab.redisCli("FLUSHALL");
        int ms = (int) TIMEOUT.toMillis();
        redis = new RedisProductCache(new RedisCalls(new Config.Redis(URI.create(lab.directRedisUrl()), ms, 4), 16, metrics),
                metrics, new RedisProductCache.Lifetimes(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(60)));
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
        assertThat(Long.parseLong(lab.redisCli("TTL", "product:1"))).isBetween(55L, 60L);
        assertThat(cache.get(1)).isEqualTo(CacheLookup.hit(PRODUCT_1));
        assertThat(lab.redisCli("EXISTS", "product:1:lease")).isEqualTo("0");
    }

    @Test
    @DisplayName("a lookup costs Redis one round trip, hit or miss: one EVALSHA, no separate GET")
    void lookupIsOneScript() {
        lab.redisCli("SET", "product:9", PRODUCT_1.replace("\"id\":1", "\"id\":9"));
        cache.get(7);   // a first miss: Redis now knows the script, so the next one is one EVALSHA
        lab.redisCli("CONFIG", "RESETSTAT");
        assertThat(cache.get(9).status()).isEqualTo(Status.HIT);
        assertThat(calls("evalsha")).isEqualTo(1);
        assertThat(cache.get(8).status()).isEqualTo(Status.MISS);
        assertThat(calls("evalsha")).isEqualTo(2);
        assertThat(calls("eval")).isZero();
        assertThat(calls("get")).as("GETs, the scripts' own included").isEqualTo(3);   // the hit's value; the miss's value and marker
    }

    /** How many times Redis ran a command since the last CONFIG RESETSTAT (INFO commandstats). */
    private long calls(String command) {
        for (String line : lab.redisCli("INFO", "commandstats").split("\\R")) {
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
        Eventually.until("the fill dropped", Duration.ofSeconds(5), () -> metrics.fillsDropped() == 1);
        assertThat(lab.redisCli("EXISTS", "product:2")).isEqualTo("0");
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
        assertThat(Long.parseLong(lab.redisCli("PTTL", "product:5:written"))).isBetween(1L, 60_000L);
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
        lab.redisCli("SET", "product:4", "{\"id\":4,\"name\":\"Lampe\",\"price\":10.00,\"stock\":1}");
        lab.freezeRedis();
        try {
            cache.invalidate(4, null);
            assertThat(cache.details()).containsEntry("pendingInvalidations", 1);
        } finally {
            lab.thawRedis();
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
            lab.redisCli("SET", "product:" + id, "old");
        }
        lab.redisCli("SET", "session:1", "not a product");
        lab.freezeRedis();
        try {
            for (int id = 10; id < 13; id++) {
                cache.invalidate(id, null);
            }
            assertThat(cache.details()).containsEntry("pendingDropAll", true);
        } finally {
            lab.thawRedis();
        }
        Thread.sleep(COOL_DOWN.toMillis());
        assertThat(cache.get(15).status()).isEqualTo(Status.MISS);
        assertThat(lab.redisCli("KEYS", "product:1?")).isEmpty();
        assertThat(lab.redisCli("GET", "session:1")).isEqualTo("not a product");
    }

    private GuardedProductCache newCache(PendingInvalidations pending) {
        return new GuardedProductCache(redis, new CircuitBreaker(new Settings(1, COOL_DOWN), System::nanoTime), pending);
    }

    private void awaitValue(long id, String expected) throws InterruptedException {
        Eventually.until("product:" + id + " holding " + expected, Duration.ofSeconds(5), () -> expected.equals(lab.redisCli("GET", "product:" + id)));
    }

}
