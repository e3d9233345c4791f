package catalog.cache;

import catalog.cache.PendingInvalidations.Replay;
import catalog.ops.MetricSource;
import catalog.ops.PrometheusText;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The cache behind a circuit breaker and a memory of lost invalidations.
 *
 * <ul>
 *   <li>While the breaker is open Redis is not called at all: lookups answer UNAVAILABLE at once,
 *       so an outage costs nothing per request once detected.</li>
 *   <li>A write whose invalidation cannot reach Redis still succeeds; its product is remembered,
 *       and before the cache is read again the remembered invalidations are replayed. Until the
 *       replay succeeds the cache is not read, so it never serves the value a write replaced.
 *       Other instances read Redis meanwhile: a thread ({@link InvalidationReplay}) replays in the
 *       background, past the breaker, until Redis takes it.</li>
 *   <li>Fills happen only while the breaker is closed.</li>
 * </ul>
 */
public final class GuardedProductCache implements ProductCache, MetricSource {
    /**
     * How often the background replay tries again while Redis does not take it: at most this long
     * after Redis is back, other instances stop reading what a write here replaced. A failed try
     * costs one Redis call's timeout on that thread, nothing on a request's.
     */
    static final Duration REPLAY_RETRY_PAUSE = Duration.ofMillis(100);

    private final ProductCache redis;
    private final CircuitBreaker breaker;
    private final PendingInvalidations pending;
    private final InvalidationReplay background;

    public GuardedProductCache(ProductCache redis, CircuitBreaker breaker, PendingInvalidations pending) {
        this.redis = redis;
        this.breaker = breaker;
        this.pending = pending;
        this.background = InvalidationReplay.start(this::replayPending, REPLAY_RETRY_PAUSE);
    }

    @Override
    public CacheLookup get(long id) {
        if (!breaker.tryAcquire()) {
            return CacheLookup.unavailable();
        }
        if (!replayPending()) {
            breaker.onFailure();
            return CacheLookup.unavailable();
        }
        CacheLookup lookup = redis.get(id);
        report(lookup.status() != CacheLookup.Status.UNAVAILABLE);
        return lookup;
    }

    @Override
    public void fill(long id, CacheLookup miss, String json) {
        if (breaker.state() == CircuitBreaker.State.CLOSED) {
            redis.fill(id, miss, json);
        }
    }

    @Override
    public boolean invalidate(long id, String writtenAt) {
        boolean done = breaker.tryAcquire() && report(redis.invalidate(id, writtenAt));
        if (!done) {
            pending.remember(id);
            background.wanted();
        }
        return done;
    }

    @Override
    public boolean invalidate(Collection<Long> ids) {
        return redis.invalidate(ids);
    }

    @Override
    public boolean invalidateAll() {
        return redis.invalidateAll();
    }

    @Override
    public boolean ping() {
        return redis.ping();
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("breaker", label(breaker.state()));
        details.put("breakerFailureThreshold", breaker.settings().failureThreshold());
        details.put("breakerCoolDownMs", breaker.settings().coolDown().toMillis());
        details.put("pendingInvalidations", pending.size());
        details.put("pendingDropAll", pending.dropsAll());
        return details;
    }

    @Override
    public void writeTo(PrometheusText out) {
        out.family("cache_breaker_state", "gauge", "1 for the Redis circuit breaker's current state.");
        CircuitBreaker.State now = breaker.state();
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            out.sample("cache_breaker_state", state == now ? 1 : 0, "state", label(state));
        }
        out.family("cache_breaker_transitions_total", "counter", "Times the breaker entered each state.");
        breaker.transitionsInto().forEach((state, count) ->
                out.sample("cache_breaker_transitions_total", count, "to", label(state)));
        out.family("cache_pending_invalidations", "gauge", "Invalidations waiting for Redis (ids; drop_all 1 when collapsed).");
        out.sample("cache_pending_invalidations", pending.size(), "kind", "ids");
        out.sample("cache_pending_invalidations", pending.dropsAll() ? 1 : 0, "kind", "drop_all");
    }

    @Override
    public void close() {
        background.close();
        redis.close();
    }

    /**
     * True when nothing is pending any more; the cache must not be read otherwise. Runs on a
     * request's thread before a lookup and on the background replay's; both may replay the same
     * ids (deleting twice is harmless, and {@link PendingInvalidations#replayed} keeps what came meanwhile).
     */
    private boolean replayPending() {
        if (pending.isEmpty()) {
            return true;
        }
        Replay replay = pending.snapshot();
        boolean done = replay.dropAll() ? redis.invalidateAll() : redis.invalidate(replay.ids());
        if (done) {
            pending.replayed(replay);
        }
        return done;
    }

    private boolean report(boolean redisAnswered) {
        if (redisAnswered) {
            breaker.onSuccess();
        } else {
            breaker.onFailure();
        }
        return redisAnswered;
    }

    private static String label(CircuitBreaker.State state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
