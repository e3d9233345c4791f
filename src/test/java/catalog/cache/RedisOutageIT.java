package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import catalog.RunningApi;
import catalog.StandaloneStack;
import catalog.WithStandaloneStack;
import catalog.history.CheckedHistory;
import catalog.lab.Eventually;
import catalog.report.Figures;
import catalog.report.OrderedScenarios;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A Redis problem never fails a request: a hung Redis costs at most the timeout, a dead one nothing but the cache. */
@Tag("cache")
@ExtendWith(WithStandaloneStack.class)
@OrderedScenarios
@DisplayName("When Redis fails")
class RedisOutageIT {
    private static final int TIMEOUT_MS = 300;
    /** The register workload's run under each fault: the first requests' timeouts, then the breaker open. */
    private static final Duration HISTORY_UNDER_FAULT = Duration.ofSeconds(4);

    private StandaloneStack stack;
    private RunningApi running;
    private ApiClient api;

    @BeforeAll
    void start(StandaloneStack stack) {
        this.stack = stack;
        running = stack.startApi(s -> s.redisTimeout(Duration.ofMillis(TIMEOUT_MS)));
        api = running.client();
    }

    @Test
    @Order(1)
    @DisplayName("a hung Redis makes a read wait at most the Redis timeout, then it is served by the database")
    void hungRedisCostsAtMostTheTimeout(Figures figures) throws InterruptedException {
        long id = api.create("Lampe", "24.50", 4);
        stack.redis().pause();
        try {
            ApiResponse read = api.get("/products/" + id);

            assertThat(read.status()).isEqualTo(200);
            assertThat(read.json().get("cache").getAsString()).isEqualTo("unavailable");
            assertThat(read.header("X-Cache")).isEqualTo("BYPASS");
            assertThat(read.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(TIMEOUT_MS))
                    .isLessThan(Duration.ofMillis(TIMEOUT_MS + 2_500));
            assertThat(running.api().cacheMetrics().timeouts()).isPositive();
            figures.record("read with Redis hung (timeout " + TIMEOUT_MS + " ms)", read.elapsed().toNanos() / 1e6, "ms");
            CheckedHistory.during("Redis hung (register workload)", running.api().baseUri(), HISTORY_UNDER_FAULT, figures);
        } finally {
            stack.redis().unpause();
        }
        Eventually.until(Duration.ofSeconds(10), () -> api.get("/products/" + id).header("X-Cache"),
                "HIT"::equals, "reads served from the cache again after Redis came back");
    }

    @Test
    @Order(2)
    @DisplayName("a stopped Redis: reads are served with cache unavailable, writes succeed, /health stays 200")
    void stoppedRedisNeverFailsARequest(Figures figures) throws InterruptedException {
        long id = api.create("Bureau", "300.00", 1);
        api.get("/products/" + id);

        stack.stopRedis();

        ApiResponse read = api.get("/products/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("source").getAsString()).isEqualTo("database");
        assertThat(read.json().get("cache").getAsString()).isEqualTo("unavailable");
        assertThat(api.put("/products/" + id, ApiClient.product("Bureau", "280.00", 1)).status()).isEqualTo(200);
        assertThat(api.get("/products/" + id).data().get("price").getAsBigDecimal()).isEqualByComparingTo("280.00");
        assertThat(api.post("/products", ApiClient.product("Chaise", "80", 2)).status()).isEqualTo(201);
        assertThat(api.delete("/products/" + id).status()).isEqualTo(204);
        ApiResponse health = api.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().getAsJsonObject("cache").get("status").getAsString()).isEqualTo("down");
        figures.record("read with Redis stopped", read.elapsed().toNanos() / 1e6, "ms");
        CheckedHistory.during("Redis stopped (register workload)", running.api().baseUri(), HISTORY_UNDER_FAULT, figures);
    }
}
