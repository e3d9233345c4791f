package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import catalog.RunningApi;
import catalog.lab.Eventually;
import catalog.lab.Pace;
import catalog.report.Figures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reads go to a real streaming replica that applies every commit {@link #APPLY_DELAY} late
 * ({@code recovery_min_apply_delay}); writes go to the primary. The replica-lag fence sends reads
 * of a product written by this API to the primary until the replica has replayed the write.
 */
@Tag("cache")
@DisplayName("When the replica lags behind the primary")
class ReplicaLagIT extends CacheScenarios {
    private static final Duration APPLY_DELAY = CacheLab.REPLICA_APPLY_DELAY;

    private ApiClient api;

    @BeforeAll
    void startTheApi() {
        api = lab.startApi(s -> s.readUrl(lab.laggingReplicaUrl())).client();
        Eventually.until(APPLY_DELAY.multipliedBy(3), () -> lab.replicaSql("SELECT to_regclass('products') IS NOT NULL"),
                "t"::equals, "the replica has replayed the schema");
    }

    @Test
    @DisplayName("a GET right after a PUT returns the new price although the replica still has the old one")
    void readYourWrite(Figures figures) {
        long id = api.create("Lampe", "10.00", 1);
        Eventually.until(APPLY_DELAY.multipliedBy(3), () -> replicaPrice(id), "10.00"::equals, "the replica has the product");
        Eventually.until(Duration.ofSeconds(5), () -> api.get("/products/" + id).header("X-Cache"), "HIT"::equals, "cached");

        assertThat(api.put("/products/" + id, ApiClient.product("Lampe", "20.00", 1)).status()).isEqualTo(200);
        ApiResponse read = api.get("/products/" + id);
        String replicaMeanwhile = replicaPrice(id);

        assertThat(replicaMeanwhile).as("the replica has not replayed the PUT yet").isEqualTo("10.00");
        assertThat(read.data().get("price").getAsBigDecimal()).isEqualByComparingTo("20.00");
        assertThat(read.header("X-Served-By")).isEqualTo("primary");
        List<String> prices = pricesFor(APPLY_DELAY.plusSeconds(1), id);
        assertThat(prices).containsOnly("20.00");
        assertThat(lab.cached(id)).doesNotContain("10.00");
        figures.record("reads fenced to the primary", Scrape.sample(api, "db_fenced_reads_total", "served_by=\"primary\""), "reads");
        figures.record("reads after the PUT, all with the new price", prices.size(), "requests");
    }

    @Test
    @DisplayName("another API instance without near copies also returns the new price right after the PUT, through the write marker in Redis")
    void readYourWriteOnAnotherInstance() {
        long id = api.create("Bureau", "300.00", 1);
        Eventually.until(APPLY_DELAY.multipliedBy(3), () -> replicaPrice(id), "300.00"::equals, "the replica has the product");
        // Without near copies: this proves the marker, which makes the read strict; near copies are
        // dropped by Redis' message instead, within a bound of their own (NearCacheIT).
        try (RunningApi other = lab.startApi(s -> s.readUrl(lab.laggingReplicaUrl()).nearCacheEntries(0))) {
            Eventually.until(Duration.ofSeconds(5), () -> other.client().get("/products/" + id).header("X-Cache"),
                    "HIT"::equals, "cached");

            assertThat(api.put("/products/" + id, ApiClient.product("Bureau", "280.00", 1)).status()).isEqualTo(200);
            ApiResponse read = other.client().get("/products/" + id);

            assertThat(replicaPrice(id)).as("the replica has not replayed the PUT yet").isEqualTo("300.00");
            assertThat(read.data().get("price").getAsBigDecimal()).isEqualByComparingTo("280.00");
            assertThat(read.header("X-Served-By")).isEqualTo("primary");
        }
    }

    @Test
    @DisplayName("a product created a moment ago is found although the replica has not replayed its insert")
    void readYourInsert() {
        long id = api.create("Chaise", "80.00", 2);
        ApiResponse read = api.get("/products/" + id);

        assertFoundOnThePrimaryBeforeTheReplica(id, read);
    }

    @Test
    @DisplayName("a product created on one instance is found at once on another, although the replica has not replayed it")
    void readYourInsertOnAnotherInstance() {
        try (RunningApi other = lab.startApi(s -> s.readUrl(lab.laggingReplicaUrl()))) {
            long id = api.create("Tabouret", "45.00", 3);
            ApiResponse read = other.client().get("/products/" + id);

            assertFoundOnThePrimaryBeforeTheReplica(id, read);
        }
    }

    @Test
    @DisplayName("once the replica has replayed a write, reads of that product go back to the replica")
    void fenceLifts() {
        long id = api.create("Table", "150.00", 1);
        Eventually.until(APPLY_DELAY.multipliedBy(3), () -> replicaPrice(id), "150.00"::equals, "the replica has the product");
        lab.flushRedis();

        ApiResponse read = api.get("/products/" + id);

        assertThat(read.header("X-Served-By")).isEqualTo("replica");
        assertThat(Scrape.sample(api, "db_fenced_reads_total", "served_by=\"replica\"")).isPositive();
    }

    /** Then: the replica has not replayed the insert, and the read found the product on the primary. */
    private void assertFoundOnThePrimaryBeforeTheReplica(long id, ApiResponse read) {
        assertThat(lab.replicaSql("SELECT count(*) FROM products WHERE id = " + id)).isEqualTo("0");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("X-Served-By")).isEqualTo("primary");
    }

    private String replicaPrice(long id) {
        return lab.replicaSql("SELECT price FROM products WHERE id = " + id);
    }

    private List<String> pricesFor(Duration period, long id) {
        List<String> prices = new ArrayList<>();
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            prices.add(api.get("/products/" + id).data().get("price").getAsBigDecimal().setScale(2).toPlainString());
            Pace.pause(20);
        }
        return prices;
    }
}
