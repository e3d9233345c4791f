package catalog.cache;

import java.util.Collection;
import java.util.Map;

/**
 * The cache as the product service sees it. Implementations never throw and never make a request
 * wait longer than their timeout: a Redis problem shows up as {@link CacheLookup.Status#UNAVAILABLE}
 * or a {@code false} invalidation, never as a failed request. {@link RedisProductCache} talks to
 * Redis (with leases); {@link GuardedProductCache} wraps it with the breaker and the pending
 * invalidations.
 */
public interface ProductCache extends AutoCloseable {
    /** Looks the product up, bounded by the Redis timeout; a miss may come with a lease. */
    CacheLookup get(long id);

    /**
     * Stores the product's JSON after a miss, asynchronously: the caller never waits for it. Only a
     * miss that took the lease fills, and the fill is dropped if a write invalidated the product since.
     */
    void fill(long id, CacheLookup miss, String json);

    /**
     * Removes the product's entry (and any reader's lease) after a write, and records the write's
     * WAL position ({@code writtenAt}, null if unknown) for readers on every instance; false when
     * Redis could not confirm it.
     */
    boolean invalidate(long id, String writtenAt);

    /** Replays invalidations that failed earlier: removes these products' entries and leases. */
    boolean invalidate(Collection<Long> ids);

    /** Removes every product entry: the replay when too many invalidations failed to keep them all. */
    boolean invalidateAll();

    /** Round trip to Redis for /health: true when it answered in time. */
    boolean ping();

    /** Extra facts for /health (breaker state, pending invalidations); none by default. */
    default Map<String, Object> details() {
        return Map.of();
    }

    @Override
    void close();

    static String key(long id) {
        return CacheKeys.value(id);
    }
}
