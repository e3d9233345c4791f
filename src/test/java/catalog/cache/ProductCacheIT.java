package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.cache.CircuitBreaker.Settings;
import catalog.cache.ProductCache.Lookup;
import catalog.cache.ProductCache.Lookup.Outcome;
import catalog.lab.LabImages;
import catalog.lab.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/** The cache's rules against a real Redis: leases, fills, invalidations kept while Redis is away. */
class ProductCacheIT {
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Duration COOL_DOWN = Duration.ofMillis(500);

    private static RedisServer redisServer;
    private JedisPooled redis;
    private RedisCalls calls;
    private ProductCache cache;

    @BeforeAll
    static void startRedis() {
        redisServer = new RedisServer(LabImages.fromEnvironment());
        redisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redisServer.stop();
    }

    @BeforeEach
    void newCache() {
        redisServer.cli("FLUSHALL");
        int ms = (int) TIMEOUT.toMillis();
        redis = new JedisPooled(new HostAndPort(redisServer.getHost(), redisServer.getMappedPort(RedisServer.PORT)),
                DefaultJedisClientConfig.builder().connectionTimeoutMillis(ms).socketTimeoutMillis(ms).build());
        calls = new RedisCalls(TIMEOUT, 4, 16);
        cache = newCache(new PendingInvalidations(PendingInvalidations.DEFAULT_BOUND));
    }

    @AfterEach
    void close() {
        calls.close();
        redis.close();
    }

    @Test
    @DisplayName("a miss takes a lease, its fill is stored with the TTL and the next lookup hits")
    void missFillHit() throws Exception {
        Lookup miss = cache.lookup(1);
        assertThat(miss.outcome()).isEqualTo(Outcome.MISS);
        assertThat(miss.lease()).isNotNull();
        cache.fill(1, miss, "{\"price\":10}");
        awaitValue(1, "{\"price\":10}");
        assertThat(Long.parseLong(redisServer.cli("TTL", "product:1"))).isBetween(55L, 60L);
        assertThat(cache.lookup(1)).isEqualTo(new Lookup(Outcome.HIT, "{\"price\":10}", null));
        assertThat(redisServer.cli("EXISTS", "product:1:lease")).isEqualTo("0");
    }

    @Test
    @DisplayName("a fill whose lease a write invalidated in the meantime is dropped")
    void staleFillDropped() throws Exception {
        Lookup slowReader = cache.lookup(2);
        cache.invalidate(2);
        cache.fill(2, slowReader, "{\"price\":\"old\"}");
        awaitUntil(() -> cache.counts().fillsRejected() == 1);
        assertThat(redisServer.cli("EXISTS", "product:2")).isEqualTo("0");
    }

    @Test
    @DisplayName("a second reader that misses while the first holds the lease does not fill")
    void leaseHeldByAnother() {
        Lookup first = cache.lookup(3);
        Lookup second = cache.lookup(3);
        assertThat(second.outcome()).isEqualTo(Outcome.MISS);
        assertThat(second.lease()).isNull();
        assertThat(first.lease()).isNotNull();
    }

    @Test
    @DisplayName("an invalidation that cannot reach Redis is replayed before the cache is read again")
    void invalidationReplayed() throws Exception {
        redisServer.cli("SET", "product:4", "{\"price\":\"old\"}");
        redisServer.pause();
        try {
            cache.invalidate(4);
            assertThat(cache.pending().size()).isEqualTo(1);
        } finally {
            redisServer.unpause();
        }
        Thread.sleep(COOL_DOWN.toMillis());
        Lookup afterRecovery = cache.lookup(4);
        assertThat(afterRecovery.outcome()).isEqualTo(Outcome.MISS);
        assertThat(cache.pending().isEmpty()).isTrue();
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
                cache.invalidate(id);
            }
            assertThat(cache.pending().dropsAll()).isTrue();
        } finally {
            redisServer.unpause();
        }
        Thread.sleep(COOL_DOWN.toMillis());
        assertThat(cache.lookup(15).outcome()).isEqualTo(Outcome.MISS);
        assertThat(redisServer.cli("KEYS", "product:1?")).isEmpty();
        assertThat(redisServer.cli("GET", "session:1")).isEqualTo("not a product");
    }

    private ProductCache newCache(PendingInvalidations pending) {
        return new ProductCache(redis, calls, new CircuitBreaker(new Settings(1, COOL_DOWN), System::nanoTime),
                pending, Duration.ofSeconds(60), Duration.ofSeconds(10));
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
