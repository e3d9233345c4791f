package catalog.ops;

import catalog.cache.ProductCache;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Redis as the API sees it: does a PING come back within the timeout, and the breaker's state and
 * pending invalidations. Never critical.
 */
public final class CacheHealth implements HealthCheck {
    private final ProductCache cache;

    public CacheHealth(ProductCache cache) {
        this.cache = cache;
    }

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public boolean critical() {
        return false;
    }

    @Override
    public Result check() {
        boolean up = cache.ping();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reachable", up);
        details.putAll(cache.details());
        return new Result(up, details);
    }

    /** Redis did not answer the ping in time: unreachable, with the breaker and the invalidations as they stand. */
    @Override
    public Result unanswered(String error) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reachable", false);
        details.putAll(cache.details());
        return new Result(false, details);
    }
}
