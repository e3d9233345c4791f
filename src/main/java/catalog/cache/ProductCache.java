package catalog.cache;

import catalog.cache.PendingInvalidations.Replay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The product cache in Redis, behind a circuit breaker: every call is bounded by {@link RedisCalls},
 * skipped while the breaker is open, and never fails a request.
 *
 * <p>Rules: a lookup first replays invalidations that could not reach Redis (the cache is not read
 * until that succeeds); a miss takes a lease; a fill is stored only under its lease; an
 * invalidation deletes value and lease, or is remembered when Redis is unreachable.
 */
public final class ProductCache {
    /** What the cache said about a product: a value, a miss (with a lease or not), or nothing. */
    public record Lookup(Outcome outcome, String value, String lease) {
        public enum Outcome { HIT, MISS, BYPASS }

        static Lookup hit(String value) {
            return new Lookup(Outcome.HIT, value, null);
        }

        static Lookup miss(String lease) {
            return new Lookup(Outcome.MISS, null, lease);
        }

        static Lookup bypass() {
            return new Lookup(Outcome.BYPASS, null, null);
        }

        /** False when Redis was not consulted or did not answer: the response says "unavailable". */
        public boolean cacheAvailable() {
            return outcome != Outcome.BYPASS;
        }
    }

    /** Counters for /metrics. */
    public record Counts(long hits, long misses, long bypasses, long fills, long fillsRejected) {}

    private static final int SCAN_BATCH = 500;

    private final UnifiedJedis redis;
    private final RedisCalls calls;
    private final CircuitBreaker breaker;
    private final PendingInvalidations pending;
    private final Duration ttl;
    private final Duration leaseTime;

    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong bypasses = new AtomicLong();
    private final AtomicLong fills = new AtomicLong();
    private final AtomicLong fillsRejected = new AtomicLong();

    public ProductCache(UnifiedJedis redis, RedisCalls calls, CircuitBreaker breaker,
            PendingInvalidations pending, Duration ttl, Duration leaseTime) {
        this.redis = redis;
        this.calls = calls;
        this.breaker = breaker;
        this.pending = pending;
        this.ttl = ttl;
        this.leaseTime = leaseTime;
    }

    public Lookup lookup(long id) {
        if (!breaker.tryAcquire()) {
            bypasses.incrementAndGet();
            return Lookup.bypass();
        }
        Replay replay = pending.snapshot();
        String token = UUID.randomUUID().toString();
        try {
            Object reply = calls.call(() -> {
                apply(replay);
                return redis.eval(CacheScripts.READ_OR_LEASE, List.of(CacheKeys.value(id), CacheKeys.lease(id)),
                        List.of(token, Long.toString(leaseTime.toMillis())));
            });
            pending.replayed(replay);
            breaker.onSuccess();
            return counted(reply);
        } catch (CacheUnavailable e) {
            breaker.onFailure();
            bypasses.incrementAndGet();
            return Lookup.bypass();
        }
    }

    /**
     * Stores the value read after a miss, without making the caller wait. Only a miss that took the
     * lease fills, only while the breaker is closed, and Redis drops the fill if a write
     * invalidated the product since the lease was taken.
     */
    public void fill(long id, Lookup miss, String value) {
        if (miss.lease() == null || breaker.state() != CircuitBreaker.State.CLOSED) {
            return;
        }
        try {
            calls.callLater(() -> {
                try {
                    Object stored = redis.eval(CacheScripts.FILL_IF_LEASED,
                            List.of(CacheKeys.value(id), CacheKeys.lease(id)),
                            List.of(miss.lease(), value, Long.toString(ttl.toSeconds())));
                    (Long.valueOf(1L).equals(stored) ? fills : fillsRejected).incrementAndGet();
                    breaker.onSuccess();
                } catch (RuntimeException e) {
                    breaker.onFailure();
                }
            });
        } catch (CacheUnavailable e) {
            breaker.onFailure();
        }
    }

    /**
     * Deletes the cached value and any reader's lease. When Redis cannot be reached the product is
     * remembered and invalidated before the cache is read again; the write itself never fails.
     */
    public void invalidate(long id) {
        if (!breaker.tryAcquire()) {
            pending.remember(id);
            return;
        }
        try {
            calls.call(() -> redis.del(CacheKeys.value(id), CacheKeys.lease(id)));
            breaker.onSuccess();
        } catch (CacheUnavailable e) {
            pending.remember(id);
            breaker.onFailure();
        }
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    public PendingInvalidations pending() {
        return pending;
    }

    public Counts counts() {
        return new Counts(hits.get(), misses.get(), bypasses.get(), fills.get(), fillsRejected.get());
    }

    private Lookup counted(Object reply) {
        List<?> parts = (List<?>) reply;
        if ("hit".equals(parts.get(0))) {
            hits.incrementAndGet();
            return Lookup.hit((String) parts.get(1));
        }
        misses.incrementAndGet();
        return Lookup.miss(parts.size() > 1 ? (String) parts.get(1) : null);
    }

    private void apply(Replay replay) {
        if (replay.dropAll()) {
            dropAllProducts();
        } else if (!replay.ids().isEmpty()) {
            List<String> keys = new ArrayList<>();
            for (long id : replay.ids()) {
                keys.add(CacheKeys.value(id));
                keys.add(CacheKeys.lease(id));
            }
            redis.del(keys.toArray(String[]::new));
        }
    }

    private void dropAllProducts() {
        ScanParams match = new ScanParams().match(CacheKeys.ALL_PRODUCTS).count(SCAN_BATCH);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, match);
            if (!page.getResult().isEmpty()) {
                redis.unlink(page.getResult().toArray(String[]::new));
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    }
}
