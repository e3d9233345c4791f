package catalog.products;

import catalog.cache.CacheLookup;
import catalog.db.DatabaseRole;

/**
 * The outcome of reading one product: its JSON, and where it came from. {@code cache} is what the
 * cache lookup said (HIT, MISS or UNAVAILABLE); {@code servedBy} is null for a cache hit.
 */
public record ProductRead(String json, CacheLookup.Status cache, DatabaseRole servedBy) {

    public boolean fromCache() {
        return cache == CacheLookup.Status.HIT;
    }
}
