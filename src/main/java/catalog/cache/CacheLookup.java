package catalog.cache;

/**
 * What the cache said about one product: HIT (with its JSON), MISS (Redis answered, no entry) or
 * UNAVAILABLE (Redis failed, timed out, or was not asked: the request must not wait for it).
 * A MISS may carry a lease: only the reader holding it may fill the entry, and only if no write
 * invalidated the product in between (see {@link CacheScripts}).
 */
public record CacheLookup(Status status, String json, String lease) {
    public enum Status { HIT, MISS, UNAVAILABLE }

    private static final CacheLookup MISS = new CacheLookup(Status.MISS, null, null);
    private static final CacheLookup UNAVAILABLE = new CacheLookup(Status.UNAVAILABLE, null, null);

    public static CacheLookup hit(String json) {
        return new CacheLookup(Status.HIT, json, null);
    }

    /** A miss whose reader may fill the entry with what it reads. */
    public static CacheLookup missWithLease(String lease) {
        return new CacheLookup(Status.MISS, null, lease);
    }

    /** A miss while another reader holds the lease: read the database, do not fill. */
    public static CacheLookup miss() {
        return MISS;
    }

    public static CacheLookup unavailable() {
        return UNAVAILABLE;
    }
}
