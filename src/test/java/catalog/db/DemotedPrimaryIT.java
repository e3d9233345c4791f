package catalog.db;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import catalog.RunningApi;
import catalog.StandaloneStack;
import catalog.WithStandaloneStack;
import catalog.report.Figures;
import catalog.report.SpecReport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pooled connections whose server turned read-only (what a primary demoted behind an open
 * connection looks like) are evicted, so writes recover once a writable server is reachable.
 * The lab: every open session is made read-only through a configuration reload, while new
 * sessions of the API's role start writable (a role setting wins over the server's at login).
 */
@Tag("failover")
@ExtendWith(SpecReport.class)
@ExtendWith(WithStandaloneStack.class)
@DisplayName("When pooled connections point at a server that became read-only")
class DemotedPrimaryIT {
    private static final int POOL_SIZE = 4;

    @Test
    @DisplayName("each write on such a connection is a 503, the connection is evicted, and writes recover within the pool size")
    void staleConnectionsAreEvicted(StandaloneStack stack, Figures figures) {
        RunningApi running = stack.startApi(s -> s.writePoolSize(POOL_SIZE));
        ApiClient api = running.client();
        api.create("before", "1.00", 1);
        stack.postgres().sql("ALTER ROLE products SET default_transaction_read_only = off");
        stack.postgres().sql("ALTER SYSTEM SET default_transaction_read_only = on");
        stack.postgres().reloadConfiguration();

        int refused = 0;
        ApiResponse write = api.post("/products", ApiClient.product("after", "2.00", 2));
        while (write.status() == 503 && refused <= POOL_SIZE) {
            assertThat(write.header("Retry-After")).isNotNull();
            refused++;
            write = api.post("/products", ApiClient.product("after", "2.00", 2));
        }

        assertThat(refused).as("refused writes before recovery").isBetween(1, POOL_SIZE);
        assertThat(write.status()).isEqualTo(201);
        for (int i = 0; i < 2 * POOL_SIZE; i++) {
            assertThat(api.post("/products", ApiClient.product("steady", "3.00", 3)).status()).isEqualTo(201);
        }
        figures.record("writes refused before the stale connections were gone", refused, "writes");
    }
}
