package catalog.cache;

/**
 * The cache as the product service sees it. Implementations never throw and never make a request
 * wait longer than their timeout: a Redis problem shows up as {@link CacheLookup.Status#UNAVAILABLE}
 * or a {@code false} invalidation, never as a failed request. Decorators (breaker, pending
 * invalidations, leases) wrap this interface.
 */
public interface ProductCache extends AutoCloseable {
    /** Looks the product up, bounded by the Redis timeout. */
    CacheLookup get(long id);

    /** Stores the product's JSON after a miss, asynchronously: the caller never waits for it. */
    void fill(long id, String json);

    /** Removes the product's entry after a write; false when Redis could not confirm it. */
    boolean invalidate(long id);

    /** Round trip to Redis for /health: true when it answered in time. */
    boolean ping();

    @Override
    void close();

    static String key(long id) {
        return "product:" + id;
    }
}
