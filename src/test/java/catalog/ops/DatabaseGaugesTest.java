package catalog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.db.DatabaseMetrics.Connections;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DatabaseGaugesTest {
    @Test
    @DisplayName("the database side's report becomes the read-slot and pool gauges, one header per family")
    void writesTheReport() {
        DatabaseGauges gauges = new DatabaseGauges(report -> {
            report.readSlots(3, 12);
            report.pool("write", new Connections(2, 14, 16, 0), 16);
            report.pool("read", new Connections(5, 11, 16, 1), 16);
        });
        String scraped = Exposition.of(gauges::writeTo);

        assertThat(scraped)
                .startsWith("# HELP db_bulkhead_in_use ")
                .contains("db_bulkhead_in_use{kind=\"read\",state=\"in_use\"} 3\n")
                .contains("db_bulkhead_in_use{kind=\"read\",state=\"max\"} 12\n")
                .contains("db_pool_connections{pool=\"write\",state=\"active\"} 2\n")
                .contains("db_pool_connections{pool=\"read\",state=\"pending\"} 1\n")
                .contains("db_pool_connections{pool=\"read\",state=\"max\"} 16\n");
        assertThat(scraped.split("# TYPE db_pool_connections gauge", -1)).hasSize(2);
    }
}
