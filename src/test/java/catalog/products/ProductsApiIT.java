package catalog.products;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient.ApiResponse;
import catalog.ApiClient;
import catalog.StandaloneStack;
import catalog.WithStandaloneStack;
import catalog.lab.Eventually;
import catalog.report.SpecReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The products API against a real PostgreSQL and Redis: CRUD, cache-aside, pagination, ops endpoints. */
@Tag("api")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(WithStandaloneStack.class)
@DisplayName("The products API")
@ExtendWith(SpecReport.class)
class ProductsApiIT {
    private StandaloneStack stack;
    private ApiClient api;

    @BeforeAll
    void start(StandaloneStack stack) {
        this.stack = stack;
        api = stack.startApi(s -> s.cacheTtl(Duration.ofSeconds(60))).client();
    }

    @Test
    @DisplayName("creates, reads, replaces and deletes a product")
    void crudRoundTrip() {
        ApiResponse created = api.post("/products", ApiClient.product("Clavier", "49.90", 12));
        assertThat(created.status()).isEqualTo(201);
        long id = created.data().get("id").getAsLong();
        assertThat(created.header("Location")).isEqualTo("/products/" + id);
        assertThat(created.body()).isEqualTo("{\"data\":{\"id\":" + id + ",\"name\":\"Clavier\",\"price\":49.90,\"stock\":12}}");

        assertThat(api.get("/products/" + id).data()).isEqualTo(created.data());

        ApiResponse replaced = api.put("/products/" + id, ApiClient.product("Clavier AZERTY", "59", 3));
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.body()).isEqualTo("{\"data\":{\"id\":" + id + ",\"name\":\"Clavier AZERTY\",\"price\":59.00,\"stock\":3}}");

        assertThat(api.delete("/products/" + id).status()).isEqualTo(204);
        assertThat(api.get("/products/" + id).status()).isEqualTo(404);
        assertThat(api.put("/products/" + id, ApiClient.product("x", "1", 0)).status()).isEqualTo(404);
        assertThat(api.delete("/products/" + id).status()).isEqualTo(404);
    }

    @Test
    @DisplayName("the first read misses and fills the cache with the TTL, the next read is a hit")
    void missThenHit() {
        long id = api.create("Souris", "19.99", 5);

        ApiResponse miss = api.get("/products/" + id);
        assertThat(miss.json().get("source").getAsString()).isEqualTo("database");
        assertThat(miss.json().get("cache").getAsString()).isEqualTo("available");
        assertThat(miss.header("X-Cache")).isEqualTo("MISS");
        assertThat(miss.header("X-Served-By")).isEqualTo("primary");

        Eventually.until(Duration.ofSeconds(5), () -> stack.cached(id), v -> !v.isEmpty(), "the asynchronous fill");
        assertThat(stack.cacheTtl(id)).isBetween(50L, 60L);

        ApiResponse hit = api.get("/products/" + id);
        assertThat(hit.body()).isEqualTo("{\"source\":\"cache\",\"data\":" + miss.data() + "}");
        assertThat(hit.header("X-Cache")).isEqualTo("HIT");
    }

    /** A product created and read once, so that Redis holds it (the fill is asynchronous: waited for). */
    private long createdAndCached(String name, String price, int stock) {
        long id = api.create(name, price, stock);
        api.get("/products/" + id);
        Eventually.until(Duration.ofSeconds(5), () -> stack.cached(id), v -> !v.isEmpty(), "the fill");
        return id;
    }

    @Test
    @DisplayName("a PUT invalidates the cached product, so the next read has the new price")
    void putInvalidates() {
        long id = createdAndCached("Écran", "199.00", 2);

        api.put("/products/" + id, ApiClient.product("Écran", "149.00", 2));

        assertThat(stack.cached(id)).isEmpty();
        ApiResponse read = api.get("/products/" + id);
        assertThat(read.json().get("source").getAsString()).isEqualTo("database");
        assertThat(read.data().get("price").getAsBigDecimal()).isEqualByComparingTo("149.00");
    }

    @Test
    @DisplayName("a DELETE invalidates the cached product, so it is not served from the cache afterwards")
    void deleteInvalidates() {
        long id = createdAndCached("Câble", "5.00", 100);

        assertThat(api.delete("/products/" + id).status()).isEqualTo(204);

        assertThat(stack.cached(id)).isEmpty();
        assertThat(api.get("/products/" + id).status()).isEqualTo(404);
    }

    @Test
    @DisplayName("names with quotes, unicode and SQL fragments are stored and returned verbatim")
    void namesVerbatim() {
        List<String> names = List.of("O'Brien \"the\" \\ best", "Robert'); DROP TABLE products;--",
                "日本語 • émoji \uD83D\uDE00 • עברית", "1' OR '1'='1", "<script>alert(1)</script>", "tab\there\nnewline");
        for (String name : names) {
            long id = api.create(name, "1.00", 0);
            assertThat(api.get("/products/" + id).data().get("name").getAsString()).isEqualTo(name);
            assertThat(stack.postgres().sql("SELECT name = " + literal(name) + " FROM products WHERE id = " + id)).isEqualTo("t");
        }
        assertThat(stack.postgres().sql("SELECT to_regclass('products') IS NOT NULL")).isEqualTo("t");
    }

    @Test
    @DisplayName("the list is paginated by id with limit and after")
    void keysetPagination() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(api.create("page item " + i, "2.50", i));
        }
        long before = ids.get(0) - 1;

        ApiResponse first = api.get("/products?limit=2&after=" + before);
        assertThat(first.status()).isEqualTo(200);
        var data = first.json().getAsJsonArray("data");
        assertThat(data).hasSize(2);
        assertThat(data.get(0).getAsJsonObject().get("id").getAsLong()).isEqualTo(ids.get(0));
        assertThat(first.json().get("next").getAsString()).isEqualTo("/products?limit=2&after=" + ids.get(1));

        ApiResponse second = api.get(first.json().get("next").getAsString());
        assertThat(second.json().getAsJsonArray("data").get(0).getAsJsonObject().get("id").getAsLong()).isEqualTo(ids.get(2));
        // Exactly `limit` products left: this is the last page, so no link to an empty one.
        ApiResponse exactlyTheRest = api.get("/products?limit=2&after=" + ids.get(2));
        assertThat(exactlyTheRest.json().getAsJsonArray("data")).hasSize(2);
        assertThat(exactlyTheRest.json().get("next").isJsonNull()).as("next on the last page").isTrue();
        ApiResponse last = api.get("/products?limit=100&after=" + ids.get(4));
        assertThat(last.json().getAsJsonArray("data")).isEmpty();
        assertThat(last.json().get("next").isJsonNull()).isTrue();
    }

    @Test
    @DisplayName("/health is 200 with the database and Redis up, and /metrics counts requests and cache lookups")
    void healthAndMetrics() {
        ApiResponse health = api.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().getAsJsonObject("write").get("inRecovery").getAsBoolean()).isFalse();
        assertThat(health.json().getAsJsonObject("cache").get("status").getAsString()).isEqualTo("up");

        api.get("/products/999999999");
        ApiResponse metrics = api.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("http_requests_total{method=\"GET\",route=\"/products/{id}\",status=\"404\",client=")
                .contains("http_request_duration_seconds_bucket{method=\"GET\",route=\"/products/{id}\",le=\"+Inf\"}")
                .contains("cache_lookups_total{result=\"miss\"}")
                .contains("db_pool_connections{pool=\"write\",state=\"active\"}");
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
