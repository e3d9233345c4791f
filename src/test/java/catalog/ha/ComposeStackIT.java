package catalog.ha;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import catalog.lab.ComposeStack;
import catalog.lab.LabImages;
import catalog.report.Figures;
import catalog.report.SpecReport;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** docker-compose.yml as a user runs it: the whole stack comes up and answers. */
@DisplayName("The docker-compose stack")
@ExtendWith(SpecReport.class)
class ComposeStackIT {
    @Test
    @DisplayName("comes up with a hot standby; the API creates a product and serves it from the database, then the cache")
    void composeStackServes(Figures figures) throws Exception {
        long started = System.nanoTime();
        try (ComposeStack stack = ComposeStack.up(LabImages.fromEnvironment())) {
            ApiClient api = new ApiClient(URI.create(stack.apiUrl()));
            Awaits.until("the API's /health to answer 200", Duration.ofSeconds(120), () -> healthy(api));
            figures.record("up --build to a healthy API", (System.nanoTime() - started) / 1e9, "s");

            long id = api.create("Clavier", "49.90", 12);
            ApiResponse first = api.get("/products/" + id);
            assertThat(first.json().get("source").getAsString()).isEqualTo("database");
            // The cache is filled asynchronously after a miss: the next GET may come first.
            Awaits.until("a GET served from the cache", Duration.ofSeconds(5), () -> {
                ApiResponse next = api.get("/products/" + id);
                return "cache".equals(next.json().get("source").getAsString())
                        && "Clavier".equals(next.data().get("name").getAsString());
            });

            List<String> recovery = List.of(stack.sql("pg-1", "select pg_is_in_recovery()"),
                    stack.sql("pg-2", "select pg_is_in_recovery()"));
            assertThat(recovery).as("pg_is_in_recovery() on pg-1, pg-2").containsExactlyInAnyOrder("t", "f");
        }
    }

    private static boolean healthy(ApiClient api) {
        try {
            return api.get("/health").status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
