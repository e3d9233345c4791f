package catalog.cache;

/**
 * What the cache said about one product: HIT (with its JSON), MISS (Redis answered, no entry) or
 * UNAVAILABLE (Redis failed, timed out, or was not asked: the request must not wait for it).
 * A MISS may carry a lease: only the reader holding it may fill the entry, and only if no write
 * invalidated the product in between (see {@link CacheScripts}); and the position of the latest
 * write of the product, so a lagging replica is not trusted with it.
 */
public record CacheLookup(Status status, String json, String lease, String writtenAt) {
    public enum Status { HIT, MISS, UNAVAILABLE }

    private static final CacheLookup UNAVAILABLE = new CacheLookup(Status.UNAVAILABLE, null, null, null);

    public static CacheLookup hit(String json) {
        return new CacheLookup(Status.HIT, json, null, null);
    }

    /**
     * A miss. With a lease its reader may fill the entry; without one (another reader holds it) it
     * reads but does not fill. {@code writtenAt}: the WAL position of the product's latest write
     * known to Redis (any instance), which the read must not be older than; null when none.
     */
    public static CacheLookup miss(String lease, String writtenAt) {
        return new CacheLookup(Status.MISS, null, lease, writtenAt);
    }

    public static CacheLookup unavailable() {
        return UNAVAILABLE;
    }
}
