package catalog.db;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import catalog.StandaloneStack;
import catalog.WithStandaloneStack;
import catalog.lab.Eventually;
import catalog.report.Figures;
import catalog.report.SpecReport;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Without a database the API answers fast with 503 + Retry-After, and cached products are still served. */
@Tag("failover")
@ExtendWith(WithStandaloneStack.class)
@ExtendWith(SpecReport.class)
@DisplayName("When the database is down")
class DatabaseOutageIT {
    @Test
    @DisplayName("writes and uncached reads fail fast with 503 and Retry-After, cached reads still succeed, liveness stays 200")
    void failsFastAndServesTheCache(StandaloneStack stack, Figures figures) {
        ApiClient api = stack.startApi().client();
        long cachedId = api.create("Tapis", "35.00", 3);
        long uncachedId = api.create("Vase", "12.00", 8);
        api.get("/products/" + cachedId);
        Eventually.until(Duration.ofSeconds(5), () -> stack.cached(cachedId), v -> !v.isEmpty(), "the fill");

        stack.stopPostgres();

        ApiResponse write = api.post("/products", ApiClient.product("Lit", "400", 1));
        ApiResponse uncached = api.get("/products/" + uncachedId);
        for (ApiResponse failed : new ApiResponse[] {write, uncached}) {
            assertThat(failed.status()).isEqualTo(503);
            assertThat(failed.contentType()).isEqualTo("application/problem+json");
            assertThat(failed.header("Retry-After")).isEqualTo("2");
            assertThat(failed.elapsed()).isLessThan(Duration.ofSeconds(8));
        }
        assertThat(api.get("/products/" + cachedId).json().get("source").getAsString()).isEqualTo("cache");
        assertThat(api.get("/health").status()).as("readiness").isEqualTo(503);
        ApiResponse live = api.get("/health/live");
        assertThat(live.status()).as("liveness: a front must keep this instance").isEqualTo(200);
        assertThat(live.json().get("status").getAsString()).isEqualTo("up");
        figures.record("failed write with the database down", write.elapsed().toNanos() / 1e6, "ms");
        figures.record("failed uncached read with the database down", uncached.elapsed().toNanos() / 1e6, "ms");
    }
}
