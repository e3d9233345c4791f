package catalog.cache;

import catalog.ops.MetricSource;
import catalog.ops.PrometheusText;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the cache path, exposed on /metrics and read by tests. */
public final class CacheMetrics implements MetricSource {
    final LongAdder hits = new LongAdder();
    final LongAdder nearHits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder unavailable = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder fills = new LongAdder();
    final LongAdder fillFailures = new LongAdder();
    final LongAdder fillsDropped = new LongAdder();
    final LongAdder invalidations = new LongAdder();
    final LongAdder invalidationFailures = new LongAdder();

    public long hits() {
        return hits.sum();
    }

    /** Hits served from a near copy, without a Redis call. */
    public long nearHits() {
        return nearHits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    public long timeouts() {
        return timeouts.sum();
    }

    public long errors() {
        return errors.sum();
    }

    public long fillsDropped() {
        return fillsDropped.sum();
    }

    public long rejected() {
        return rejected.sum();
    }

    void count(RedisOutcome.Kind failure) {
        switch (failure) {
            case TIMEOUT -> timeouts.increment();
            case ERROR -> errors.increment();
            case REJECTED -> rejected.increment();
            case OK -> { }
        }
    }

    @Override
    public void writeTo(PrometheusText out) {
        out.family("cache_lookups_total", "counter", "Product cache lookups by result.");
        out.sample("cache_lookups_total", hits.sum(), "result", "hit");
        out.sample("cache_lookups_total", nearHits.sum(), "result", "near_hit");
        out.sample("cache_lookups_total", misses.sum(), "result", "miss");
        out.sample("cache_lookups_total", unavailable.sum(), "result", "unavailable");
        out.family("cache_redis_failures_total", "counter", "Redis calls that failed, by kind.");
        out.sample("cache_redis_failures_total", errors.sum(), "kind", "error");
        out.sample("cache_redis_failures_total", timeouts.sum(), "kind", "timeout");
        out.sample("cache_redis_failures_total", rejected.sum(), "kind", "rejected");
        out.family("cache_fills_total", "counter", "Asynchronous cache fills after a miss, by outcome.");
        out.sample("cache_fills_total", fills.sum(), "outcome", "done");
        out.sample("cache_fills_total", fillFailures.sum(), "outcome", "failed");
        out.sample("cache_fills_total", fillsDropped.sum(), "outcome", "lease_lost");
        out.family("cache_invalidations_total", "counter", "Cache invalidations after writes, by outcome.");
        out.sample("cache_invalidations_total", invalidations.sum(), "outcome", "done");
        out.sample("cache_invalidations_total", invalidationFailures.sum(), "outcome", "failed");
    }
}
