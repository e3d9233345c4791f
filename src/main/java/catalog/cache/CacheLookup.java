package catalog.cache;

/**
 * What the cache said about one product: HIT (with its JSON), MISS (Redis answered, no entry) or
 * UNAVAILABLE (Redis failed, timed out, or was not asked: the request must not wait for it).
 */
public record CacheLookup(Status status, String json) {
    public enum Status { HIT, MISS, UNAVAILABLE }

    private static final CacheLookup MISS = new CacheLookup(Status.MISS, null);
    private static final CacheLookup UNAVAILABLE = new CacheLookup(Status.UNAVAILABLE, null);

    public static CacheLookup hit(String json) {
        return new CacheLookup(Status.HIT, json);
    }

    public static CacheLookup miss() {
        return MISS;
    }

    public static CacheLookup unavailable() {
        return UNAVAILABLE;
    }
}
