package catalog.ops;

import catalog.db.DatabaseMetrics;
import java.util.function.Consumer;

/**
 * The database side's figures as Prometheus gauges in /metrics: {@code reports} is
 * {@code Databases::reportTo}, asked for a fresh report on every scrape.
 */
public final class DatabaseGauges implements MetricSource {
    private final Consumer<DatabaseMetrics> reports;

    public DatabaseGauges(Consumer<DatabaseMetrics> reports) {
        this.reports = reports;
    }

    @Override
    public void writeTo(PrometheusText out) {
        reports.accept(new Written(out));
    }

    /** One report written out; the pools' family header goes before the first pool. */
    private static final class Written implements DatabaseMetrics {
        private final PrometheusText out;
        private boolean poolsHeaded;

        Written(PrometheusText out) {
            this.out = out;
        }

        @Override
        public void readSlots(int inUse, int max) {
            out.family("db_bulkhead_in_use", "gauge", "Database read slots taken now, and the bound (state=max).");
            out.sample("db_bulkhead_in_use", inUse, "kind", "read", "state", "in_use");
            out.sample("db_bulkhead_in_use", max, "kind", "read", "state", "max");
        }

        @Override
        public void pool(String name, Connections now, int max) {
            if (!poolsHeaded) {
                out.family("db_pool_connections", "gauge", "HikariCP connections by pool and state.");
                poolsHeaded = true;
            }
            out.sample("db_pool_connections", now.active(), "pool", name, "state", "active");
            out.sample("db_pool_connections", now.idle(), "pool", name, "state", "idle");
            out.sample("db_pool_connections", now.total(), "pool", name, "state", "total");
            out.sample("db_pool_connections", now.pending(), "pool", name, "state", "pending");
            out.sample("db_pool_connections", max, "pool", name, "state", "max");
        }
    }
}
