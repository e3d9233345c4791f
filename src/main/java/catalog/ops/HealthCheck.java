package catalog.ops;

import java.util.Map;

/**
 * One part of /health. A {@code critical} part that is unhealthy makes /health answer 503 (only the
 * write database is critical: the API is "up" when writes can work; reads and the cache degrade).
 */
public interface HealthCheck {
    String name();

    boolean critical();

    Result check();

    record Result(boolean healthy, Map<String, Object> details) {}
}
