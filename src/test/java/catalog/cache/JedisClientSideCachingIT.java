package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.cache.CacheLookup.Status;
import catalog.lab.Eventually;
import catalog.lab.Pace;
import catalog.ops.Config;
import catalog.report.Figures;
import catalog.report.SpecReport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.csc.CacheConfig;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * An experiment (issue 17, item 4): could Jedis' own client-side caching ({@code redis.clients.jedis.csc},
 * RESP3 {@code CLIENT TRACKING}) replace the near copies? It is measured beside them, on the cache
 * lab's Redis ({@link CacheLab}), in the same run. "Instance A" reaches Redis through the lab's proxy and holds
 * three caches of one key: Jedis' cache as it comes ({@code JedisPooled} with a {@link CacheConfig});
 * Jedis' cache with the nearest thing it has to a heartbeat (the pool's evictor PINGs idle
 * connections every {@link #EVICTOR_RUN}, a socket timeout of {@link #PING_TIMEOUT}; a failed PING
 * closes the connection, and closing a cache connection flushes the cache); and the project's own
 * stack ({@link CacheLayers}: near copies behind the feed's gate). "Client B" writes straight to Redis,
 * as another instance would. The faults act on A's path only, or freeze Redis itself.
 *
 * <p>What Jedis does is recorded as a finding, asserted loosely so that the run proves the figures
 * are what the documentation says ({@code docs/cache.md}, "Why not Jedis's client-side caching"); the
 * project's own copies are held to their promise (no old value served a second after the write).
 */
@Tag("cache")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SpecReport.class)
@ExtendWith(WithCacheLab.class)
@DisplayName("Jedis's own client-side caching, measured against the near copies")
class JedisClientSideCachingIT {
    private static final String KEY = "product:1";
    private static final long ID = 1;
    private static final String OLD = "{\"id\":1,\"name\":\"Lampe\",\"price\":10.00,\"stock\":1}";
    private static final String NEW = "{\"id\":1,\"name\":\"Lampe\",\"price\":11.00,\"stock\":1}";
    /** How long A's path stays cut (or Redis frozen), and how long reads go on after it heals. */
    private static final Duration CUT = Duration.ofSeconds(5);
    private static final Duration AFTER_HEAL = Duration.ofSeconds(3);
    /** The project's promise for a copy once its Redis is out of reach (NearCacheIT's bound). */
    private static final Duration NEAR_COPY_BOUND = Duration.ofSeconds(1);
    private static final int REDIS_TIMEOUT_MS = 1000;
    private static final Duration EVICTOR_RUN = Duration.ofMillis(50);
    private static final Duration PING_TIMEOUT = Duration.ofMillis(200);
    private static final Duration WARM_UP = Duration.ofSeconds(1);
    private static final Duration MEASURE = Duration.ofSeconds(3);

    private CacheLab lab;
    /** Redis itself, credentials included (client B's way, and the hit path's). */
    private URI direct;
    /** Redis through the lab's proxy: instance A's path, the one the faults act on. */
    private URI viaProxy;

    @BeforeAll
    void useLab(CacheLab lab) {
        this.lab = lab;
        this.direct = URI.create(lab.directRedisUrl());
        this.viaProxy = URI.create(lab.proxiedRedisUrl());
    }

    /** The lab is shared: the key this class writes into Redis by hand must not outlive it. */
    @AfterEach
    void forgetKey() {
        lab.redisCli("DEL", KEY);
    }

    @Test
    @DisplayName("with A's path black-holed, Jedis's cache serves a value B changed for the whole cut and after it heals, "
            + "while the near copies stop within the heartbeat")
    void blackHoledPath(Figures figures) throws Exception {
        cutAWhileBWrites(figures, "black hole on A's path (Toxiproxy timeout toxic both ways, " + CUT.toSeconds()
                + " s), B writes at once", lab::blackHoleRedisBothWays);
    }

    @Test
    @DisplayName("with A's connections closed under it, Jedis's cache serves a value B changed even after the path "
            + "comes back, while the near copies drop with the feed")
    void closedConnections(Figures figures) throws Exception {
        // Disabling the proxy closes A's connections and refuses new ones.
        cutAWhileBWrites(figures, "A's connections closed by the proxy (" + CUT.toSeconds() + " s), B writes at once",
                lab::cutRedis);
    }

    /**
     * A holds the key; A's path is cut; B writes the key at once; A reads through the cut and for
     * AFTER_HEAL after it. Jedis's cache must still serve the old value then (the finding), the near
     * copies must have stopped within their bound (the promise).
     */
    private void cutAWhileBWrites(Figures figures, String fault, Cut cut) throws Exception {
        try (InstanceA a = new InstanceA(); Jedis b = new Jedis(direct)) {
            b.set(KEY, OLD);
            a.hold();
            cut.apply();
            long written = System.nanoTime();
            b.set(KEY, NEW);
            List<Reads> reads = a.readFrom(written);
            Pace.pause(CUT.toMillis());
            long healed = System.nanoTime();
            lab.heal();
            Pace.pause(AFTER_HEAL.toMillis());
            reads.forEach(Reads::stop);

            record(figures, fault, reads, written, healed);
            Reads plain = reads.get(0);
            Reads near = reads.get(2);
            assertThat(plain.lastOldMs(written, healed)).as("Jedis's cache served the old value for the whole cut")
                    .isGreaterThanOrEqualTo(CUT.toMillis() - 500);
            assertThat(plain.lastBefore(Long.MAX_VALUE)).as("Jedis's cache, " + AFTER_HEAL.toSeconds() + " s after the heal")
                    .isEqualTo("old");
            assertThat(near.lastOldMs(written, Long.MAX_VALUE)).as("near copies: old value after the write, ms")
                    .isLessThan(NEAR_COPY_BOUND.toMillis());
        }
    }

    /** A fault on A's path: one of the lab's verbs. */
    private interface Cut {
        void apply() throws Exception;
    }

    @Test
    @DisplayName("with Redis frozen, Jedis's cache goes on serving as if nothing happened, while the near copies "
            + "stop within the heartbeat")
    void frozenRedis(Figures figures) throws Exception {
        try (InstanceA a = new InstanceA(); Jedis b = new Jedis(direct)) {
            b.set(KEY, OLD);
            a.hold();
            long frozen = System.nanoTime();
            lab.freezeRedis();   // a frozen Redis takes no write either: this measures serving blind, not staleness
            List<Reads> reads = a.readFrom(frozen);
            Pace.pause(CUT.toMillis());
            long healed = System.nanoTime();
            lab.heal();
            Pace.pause(500);
            reads.forEach(Reads::stop);

            record(figures, "Redis frozen (docker pause, " + CUT.toSeconds() + " s), no write possible", reads, frozen, healed);
            assertThat(reads.get(0).lastOldMs(frozen, healed)).as("Jedis's cache served throughout the freeze")
                    .isGreaterThanOrEqualTo(CUT.toMillis() - 500);
            assertThat(reads.get(2).lastOldMs(frozen, healed)).as("near copies served after the freeze began, ms")
                    .isLessThan(NEAR_COPY_BOUND.toMillis());
        }
    }

    @Test
    @DisplayName("a hit in Jedis's cache costs several times a near copy's, and both far less than a GET round trip")
    void hitPathCost(Figures figures) throws Exception {
        try (Jedis b = new Jedis(direct)) {
            b.set(KEY, OLD);
        }
        List<List<String>> rows = new ArrayList<>();
        try (JedisPooled csc = new JedisPooled(hostAndPort(direct), clientConfig(direct, 2 * REDIS_TIMEOUT_MS),
                CacheConfig.builder().maxSize(10_000).build())) {
            assertThat(csc.get(KEY)).isEqualTo(OLD);
            long[] hitsBefore = new long[1];
            Rate rate = Rate.of(() -> csc.get(KEY), () -> hitsBefore[0] = csc.getCache().getStats().getHitCount());
            long hits = csc.getCache().getStats().getHitCount() - hitsBefore[0];
            rows.add(rate.row("Jedis CSC: get of a cached key (JedisPooled, RESP3)", hits));
            figures.record("Jedis CSC hit", rate.opsPerSecond(), "ops/s");
            assertThat(hits).as("every get a cache hit").isEqualTo(rate.ops());
        }
        try (Jedis plain = new Jedis(direct)) {
            Rate rate = Rate.of(() -> plain.get(KEY), () -> {});
            rows.add(rate.row("plain Jedis GET, one round trip (RESP2)", 0));
            figures.record("plain GET", rate.opsPerSecond(), "ops/s");
        }
        CacheMetrics metrics = new CacheMetrics();
        CacheLayers layers = CacheLayers.open(settings(direct), 16, metrics);
        try (ProductCache near = layers.top()) {
            awaitNearCopy(near, metrics);
            long[] nearBefore = new long[1];
            Rate rate = Rate.of(() -> near.get(ID).json(), () -> nearBefore[0] = metrics.nearHits());
            long nearHits = metrics.nearHits() - nearBefore[0];
            rows.add(rate.row("project: NearProductCache.get, a near copy (gate + map)", nearHits));
            figures.record("near copy hit", rate.opsPerSecond(), "ops/s");
            assertThat(nearHits).as("lookups answered from near copies").isGreaterThanOrEqualTo(rate.ops() * 8 / 10);
        }
        double get = figures.figures().stream().filter(f -> f.name().equals("plain GET")).findFirst().orElseThrow().value();
        for (String hit : List.of("Jedis CSC hit", "near copy hit")) {
            double rate = figures.figures().stream().filter(f -> f.name().equals(hit)).findFirst().orElseThrow().value();
            assertThat(rate).as(hit + " vs a GET round trip, ops/s").isGreaterThan(10 * get);
        }
        figures.table("hit path, one thread, " + MEASURE.toSeconds() + " s each after " + WARM_UP.toSeconds()
                + " s warm-up, " + OLD.length() + "-byte value",
                List.of("path", "ops/s", "µs/op", "ops", "of which cache hits"), rows);
    }

    /**
     * Instance A: its three caches, each on A's own path through the proxy; {@link #hold} fills
     * each with {@link #OLD}, {@link #readFrom} reads them on a thread each.
     */
    private final class InstanceA implements AutoCloseable {
        private final JedisPooled plain = new JedisPooled(hostAndPort(viaProxy), clientConfig(viaProxy, 2 * REDIS_TIMEOUT_MS),
                CacheConfig.builder().maxSize(10_000).build());
        private final JedisPooled pinged = new JedisPooled(hostAndPort(viaProxy), clientConfig(viaProxy, (int) PING_TIMEOUT.toMillis()),
                CacheConfig.builder().maxSize(10_000).build(), heartbeatPool());
        private final CacheMetrics metrics = new CacheMetrics();
        private final ProductCache near = CacheLayers.open(settings(viaProxy), 16, metrics).top();

        void hold() {
            for (JedisPooled jedis : List.of(plain, pinged)) {
                assertThat(jedis.get(KEY)).isEqualTo(OLD);
                long hits = jedis.getCache().getStats().getHitCount();
                assertThat(jedis.get(KEY)).isEqualTo(OLD);
                assertThat(jedis.getCache().getStats().getHitCount()).as("the second get is a cache hit").isEqualTo(hits + 1);
            }
            awaitNearCopy(near, metrics);
        }

        List<Reads> readFrom(long start) {
            return List.of(
                    new Reads("Jedis CSC as it comes (JedisPooled + CacheConfig)", start, () -> plain.get(KEY)),
                    new Reads("Jedis CSC, pool evictor PING every " + EVICTOR_RUN.toMillis() + " ms, socket timeout "
                            + PING_TIMEOUT.toMillis() + " ms", start, () -> pinged.get(KEY)),
                    new Reads("project: near copies behind the feed's gate (CacheLayers)", start, () -> {
                        CacheLookup lookup = near.get(ID);
                        return lookup.status() == Status.HIT ? lookup.json() : null;
                    }));
        }

        @Override
        public void close() {
            plain.close();
            pinged.close();
            near.close();
        }
    }

    /** The closest Jedis comes to a heartbeat: the pool's evictor PINGs every idle connection. */
    private static ConnectionPoolConfig heartbeatPool() {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(EVICTOR_RUN);
        pool.setNumTestsPerEvictionRun(-1);
        return pool;
    }

    /**
     * One cache read on a thread of its own every 5 ms (a read that blocks delays only its own
     * series): each read is the old value, the new one, or nothing (failed, unavailable).
     */
    private static final class Reads {
        private record Sample(long atNanos, String value) {}

        private final String what;
        private final List<Sample> samples = new ArrayList<>();
        private final Thread thread;
        private volatile boolean stopped;

        Reads(String what, long start, Supplier<String> read) {
            this.what = what;
            this.thread = new Thread(() -> {
                while (!stopped) {
                    String value;
                    try {
                        value = read.get();
                    } catch (RuntimeException e) {
                        value = null;
                    }
                    synchronized (samples) {
                        samples.add(new Sample(System.nanoTime(), value));
                    }
                    Pace.pause(5);
                }
            }, "reads");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            stopped = true;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private List<Sample> between(long from, long to) {
            synchronized (samples) {
                return samples.stream().filter(s -> s.atNanos >= from && s.atNanos < to).toList();
            }
        }

        /** How long after {@code from} the old value was last read before {@code to}, ms; 0 when never. */
        long lastOldMs(long from, long to) {
            return between(from, to).stream().filter(s -> OLD.equals(s.value)).mapToLong(s -> (s.atNanos - from) / 1_000_000)
                    .max().orElse(0);
        }

        String counts(long from, long to) {
            List<Sample> window = between(from, to);
            long old = window.stream().filter(s -> OLD.equals(s.value)).count();
            long fresh = window.stream().filter(s -> NEW.equals(s.value)).count();
            return old + " old / " + fresh + " new / " + (window.size() - old - fresh) + " none";
        }

        /** The value of the last read before {@code to}. */
        String lastBefore(long to) {
            List<Sample> before = between(Long.MIN_VALUE, to);
            if (before.isEmpty()) {
                return "-";
            }
            String value = before.get(before.size() - 1).value;
            return OLD.equals(value) ? "old" : NEW.equals(value) ? "new" : "none";
        }
    }

    private static void record(Figures figures, String fault, List<Reads> reads, long start, long healed) {
        List<List<String>> rows = new ArrayList<>();
        for (Reads r : reads) {
            long duringMs = r.lastOldMs(start, healed);
            long afterMs = r.lastOldMs(start, Long.MAX_VALUE);
            rows.add(List.of(r.what, String.valueOf(duringMs), r.counts(start, healed), r.lastBefore(healed),
                    afterMs > duringMs ? afterMs + " (after the heal)" : "-", r.counts(healed, Long.MAX_VALUE),
                    r.lastBefore(Long.MAX_VALUE)));
            figures.record(r.what + ": old value served until, ms after the fault's start", duringMs, "ms");
        }
        figures.table(fault, List.of("cache of instance A", "old value last served, ms after start (during the fault)",
                "reads during (old/new/none)", "last read during", "old value last served, ms after start (incl. "
                        + "after the heal)", "reads after the heal", "last read"), rows);
    }

    /** Reads the product through {@code cache} until a read is answered from a near copy. */
    private static void awaitNearCopy(ProductCache cache, CacheMetrics metrics) {
        Eventually.until(Duration.ofSeconds(10), () -> {
            long before = metrics.nearHits();
            CacheLookup lookup = cache.get(ID);
            return metrics.nearHits() > before && OLD.equals(lookup.json());
        }, Boolean::booleanValue, "product " + ID + " answered from a near copy");
    }

    /** A lookup's rate on one thread: warm up, {@code mark} (counters before), then count for {@link #MEASURE}. */
    private record Rate(long ops, long nanos) {
        static Rate of(Callable<String> op, Runnable mark) throws Exception {
            run(op, WARM_UP.toNanos());
            mark.run();
            return run(op, MEASURE.toNanos());
        }

        private static Rate run(Callable<String> op, long forNanos) throws Exception {
            long start = System.nanoTime();
            long deadline = start + forNanos;
            long ops = 0;
            int sink = 0;
            long now;
            do {
                for (int i = 0; i < 64; i++) {
                    String value = op.call();
                    sink += value == null ? 0 : value.length();
                }
                ops += 64;
                now = System.nanoTime();
            } while (now < deadline);
            assertThat(sink).isPositive();
            return new Rate(ops, now - start);
        }

        double opsPerSecond() {
            return ops * 1e9 / nanos;
        }

        List<String> row(String what, long hits) {
            return List.of(what, String.format(Locale.ROOT, "%,.0f", opsPerSecond()),
                    String.format(Locale.ROOT, "%.2f", nanos / 1e3 / ops), String.valueOf(ops), String.valueOf(hits));
        }
    }

    private static Config.Cache settings(URI redisUrl) {
        return new Config.Cache(new Config.Redis(redisUrl, REDIS_TIMEOUT_MS, 4), 60,
                new CircuitBreaker.Settings(3, Duration.ofSeconds(5)), new Config.CacheBounds(10_000, 10_000));
    }

    private static HostAndPort hostAndPort(URI redisUrl) {
        return JedisURIHelper.getHostAndPort(redisUrl);
    }

    /** RESP3 (Jedis' cache requires it), the URL's credentials if any, and the socket timeout. */
    private static JedisClientConfig clientConfig(URI redisUrl, int socketTimeoutMs) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().resp3()
                .socketTimeoutMillis(socketTimeoutMs).connectionTimeoutMillis(socketTimeoutMs);
        String user = JedisURIHelper.getUser(redisUrl);
        String password = JedisURIHelper.getPassword(redisUrl);
        if (password != null) {
            config.user(user).password(password);
        }
        return config.build();
    }
}
