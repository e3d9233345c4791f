package catalog.ops;

import catalog.cache.ProductCache;
import java.util.LinkedHashMap;
import java.util.Map;

/** Redis as the API sees it: does a PING come back within the timeout. Never critical. */
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
        return new Result(up, details);
    }
}
