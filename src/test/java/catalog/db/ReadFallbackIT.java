package catalog.db;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import catalog.RunningApi;
import catalog.StandaloneStack;
import catalog.WithStandaloneStack;
import catalog.lab.FreePort;
import catalog.report.Figures;
import catalog.report.SpecReport;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Reads survive a read endpoint that is gone: retried on the write pool, then routed there for a while. */
@Tag("failover")
@ExtendWith(SpecReport.class)
@ExtendWith(WithStandaloneStack.class)
@DisplayName("When the read database is unreachable")
class ReadFallbackIT {
    @Test
    @DisplayName("reads are served by the primary, and only the first one pays the connection timeout")
    void readsFallBackToThePrimary(StandaloneStack stack, Figures figures) {
        RunningApi running = stack.startApi(s -> s.readUrl("jdbc:postgresql://localhost:" + FreePort.pick() + "/products"));
        ApiClient api = running.client();
        long id = api.create("Étagère", "89.00", 2);
        stack.redis().cli("DEL", "product:" + id);

        ApiResponse first = api.get("/products/" + id);
        stack.redis().cli("DEL", "product:" + id);
        ApiResponse second = api.get("/products/" + id);
        ApiResponse list = api.get("/products?limit=5");

        for (ApiResponse read : new ApiResponse[] {first, second, list}) {
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.header("X-Served-By")).isEqualTo("primary");
        }
        assertThat(first.data().get("id").getAsLong()).isEqualTo(id);
        assertThat(second.elapsed()).isLessThan(Duration.ofSeconds(1));
        figures.record("first read, read pool unreachable", first.elapsed().toNanos() / 1e6, "ms");
        figures.record("next read, read pool resting", second.elapsed().toNanos() / 1e6, "ms");
    }
}
