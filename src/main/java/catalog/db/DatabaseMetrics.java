package catalog.db;

/**
 * Where {@link Databases} hands its figures, the way HikariCP hands its pool statistics to a
 * {@code MetricsTracker}: the database side says what it holds, the metrics side (in
 * {@code catalog.ops}) decides how to publish it. Called on the thread that asked, once per report.
 */
public interface DatabaseMetrics {
    /** One pool's connections now, by state ({@code pending}: threads waiting to borrow one). */
    record Connections(int active, int idle, int total, int pending) {}

    /** Database read slots of the bulkhead: taken now, and the bound. */
    void readSlots(int inUse, int max);

    /** One pool (named {@code write} or {@code read}): its connections and its maximum size. */
    void pool(String name, Connections now, int max);
}
