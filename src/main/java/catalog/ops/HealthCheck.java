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

    /**
     * What this part reports when its check did not answer in time or failed: unreachable, with the
     * reason, in the same shape as a check's own answer (openapi.yaml's schema of the part).
     */
    default Result unanswered(String error) {
        return new Result(false, Map.of("reachable", false, "error", error));
    }

    record Result(boolean healthy, Map<String, Object> details) {}
}
