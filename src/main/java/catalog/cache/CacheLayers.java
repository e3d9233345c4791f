package catalog.cache;

import catalog.db.RecentWrites;
import catalog.ops.Config;
import java.time.Duration;

/**
 * The cache the service uses, built in layers from {@link Config.Cache}: Redis calls under their
 * deadline, the Redis cache-aside, the breaker with the invalidations kept while Redis is away,
 * and on top the near copies with their invalidation feed (unless there are none).
 *
 * @param top     what the service reads and invalidates through; closing it closes every layer
 * @param guarded the layer with the breaker, which /metrics reports
 */
public record CacheLayers(ProductCache top, GuardedProductCache guarded) {
    /**
     * How long a miss's lease keeps other readers from filling: far above a normal read (a slower
     * read just does not fill), and short because a lookup that timed out may still have taken a
     * lease when Redis caught up, which then blocks fills of that product until it expires.
     */
    private static final Duration LEASE_TIME = Duration.ofSeconds(3);
    /**
     * The oldest a near copy may be (or CACHE_TTL_SECONDS if shorter): invalidation messages keep
     * copies true, this bounds what a message that never came could cost.
     */
    private static final Duration NEAR_COPY_MAX_AGE = Duration.ofSeconds(10);

    /** {@code fillQueue}: fills (after a miss) that may wait for a thread before one is dropped. */
    public static CacheLayers open(Config.Cache settings, int fillQueue, CacheMetrics metrics) {
        NearCache copies = nearCopies(settings);
        InvalidationFeed feed = copies == null ? null : InvalidationFeed.start(settings.redis().url(),
                InvalidationFeed.heartbeatFor(settings.redis().timeoutMs()), copies);
        RedisCalls calls = new RedisCalls(settings.redis(), fillQueue, metrics, feed == null ? () -> null : feed::current);
        RedisProductCache redis = new RedisProductCache(calls, metrics, new RedisProductCache.Lifetimes(
                Duration.ofSeconds(settings.ttlSeconds()), LEASE_TIME, RecentWrites.DEFAULT_WINDOW));
        GuardedProductCache guarded = new GuardedProductCache(redis,
                new CircuitBreaker(settings.breaker(), System::nanoTime),
                new PendingInvalidations(settings.bounds().pendingInvalidations()));
        return new CacheLayers(feed == null ? guarded : new NearProductCache(guarded, copies, feed, metrics), guarded);
    }

    /** The near copies, or null when NEAR_CACHE_ENTRIES is 0 or Redis is reached over TLS (the feed has no TLS). */
    private static NearCache nearCopies(Config.Cache settings) {
        if (settings.bounds().nearCopies() == 0 || "rediss".equalsIgnoreCase(settings.redis().url().getScheme())) {
            return null;
        }
        Duration ttl = Duration.ofSeconds(settings.ttlSeconds());
        Duration maxAge = NEAR_COPY_MAX_AGE.compareTo(ttl) < 0 ? NEAR_COPY_MAX_AGE : ttl;
        return new NearCache(settings.bounds().nearCopies(), maxAge, System::nanoTime);
    }
}
