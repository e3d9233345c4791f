package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import catalog.RunningApi;
import catalog.lab.Eventually;
import catalog.report.Figures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Concurrency on the read path, made visible with latency on the answers of the read database
 * (the query runs on time, its answer arrives late): a slow reader against a writer (leases), and
 * many readers of one cold product (single flight).
 */
@Tag("cache")
@DisplayName("When reads race")
class CacheRacesIT extends CacheScenarios {
    /**
     * Below the read pool's 2 s socket timeout, so the slow answer arrives; each race reads once just
     * before, so HikariCP hands out that connection unchecked (its 250 ms check would fail).
     */
    private static final Duration SLOW_ANSWERS = Duration.ofMillis(800);

    private ApiClient api;

    @BeforeAll
    void startTheApi() {
        api = lab.startApi(s -> s.httpThreads(64)).client();
    }

    @Test
    @DisplayName("a slow reader that read the old price cannot cache it after a writer on another instance changed it")
    void slowReaderLosesItsLease(Figures figures) throws Exception {
        // The lease lives in Redis, so it holds between instances: the writer is a second API.
        try (RunningApi writer = lab.startApi()) {
            Race race = raceUntilStaged(writer.client());

            assertThat(race.read().data().get("price").getAsBigDecimal()).as("the reader read before the write")
                    .isEqualByComparingTo("10.00");
            assertThat(race.write().status()).isEqualTo(200);
            Eventually.until(Duration.ofSeconds(5), () -> Scrape.sample(api, "cache_fills_total", "outcome=\"lease_lost\""),
                    n -> n >= 1, "the stale fill refused");
            assertThat(lab.cached(race.id())).doesNotContain("10.00");
            assertThat(api.get("/products/" + race.id()).data().get("price").getAsBigDecimal()).isEqualByComparingTo("20.00");
            figures.record("stale fills refused by the lease", Scrape.sample(api, "cache_fills_total", "outcome=\"lease_lost\""), "fills");
            figures.record("attempts needed to stage the race", race.attempt(), "attempts");
        }
    }

    @Test
    @DisplayName("50 concurrent GETs of a cold product cause one database read of it")
    void oneReadForAStampede(Figures figures) throws Exception {
        long id = productWrittenElsewhere("99.00");
        lab.slowReads(Duration.ofMillis(300));
        double readsBefore = Scrape.sample(api, "db_product_reads_total", "");

        List<ApiResponse> answers = concurrently(50, () -> api.get("/products/" + id));

        double reads = Scrape.sample(api, "db_product_reads_total", "") - readsBefore;
        assertThat(answers).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(answers).allSatisfy(r ->
                assertThat(r.data().get("price").getAsBigDecimal()).isEqualByComparingTo("99.00"));
        // 1 expected; 2 allows a request that arrives in the instant between the read landing and
        // its fill reaching Redis (it misses, the lease is still held, and it reads again).
        assertThat(reads).isBetween(1.0, 2.0);
        figures.record("database reads for 50 concurrent GETs of a cold product", reads, "reads");
    }

    /** One slow read racing one write; staged when the write was done while the read's answer was still on its way. */
    private record Race(long id, ApiResponse read, ApiResponse write, boolean staged, int attempt) {}

    /**
     * The race depends on timing, which a loaded machine can spoil (the write may finish after the
     * slow answer arrived): it is tried a few times until staged; each attempt uses a new product.
     */
    private Race raceUntilStaged(ApiClient writer) throws Exception {
        writer.get("/products/" + productWrittenElsewhere("1.00")); // first requests of a fresh instance are slow
        api.get("/products/" + productWrittenElsewhere("1.00"));
        for (int attempt = 1; attempt <= 3; attempt++) {
            Race race = race(writer, attempt);
            if (race.staged()) {
                return race;
            }
        }
        throw new AssertionError("the write never finished while the slow read was in flight, in 3 attempts");
    }

    private Race race(ApiClient writer, int attempt) throws Exception {
        long id = productWrittenElsewhere("10.00");
        lab.slowReads(SLOW_ANSWERS);
        try (Connection primary = lab.primaryConnection()) {
            Timestamp since = now(primary);
            CompletableFuture<ApiResponse> slowRead = CompletableFuture.supplyAsync(() -> api.get("/products/" + id));
            awaitProductQuerySince(primary, since);
            ApiResponse write = writer.put("/products/" + id, ApiClient.product("Lampe", "20.00", 1));
            boolean staged = !slowRead.isDone();
            return new Race(id, slowRead.get(10, TimeUnit.SECONDS), write, staged, attempt);
        } finally {
            lab.healReads();
        }
    }

    /** A row inserted straight into the primary: no write by this API, so no replica fence applies. */
    private long productWrittenElsewhere(String price) {
        return Long.parseLong(lab.primarySql(
                "INSERT INTO products (name, price, stock) VALUES ('Lampe', " + price + ", 1) RETURNING id")
                .lines().findFirst().orElseThrow());
    }

    /** Waits until the API's single-product query has run on the database (its answer is still on the way). */
    private static void awaitProductQuerySince(Connection primary, Timestamp since) throws SQLException {
        // Polled over JDBC, not docker exec: the answer is on its way and arrives SLOW_ANSWERS later.
        try (PreparedStatement seen = primary.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                + " WHERE pid <> pg_backend_pid() AND query_start > ?"
                + " AND query LIKE 'SELECT r.in_recovery, p.id, p.name, p.price, p.stock FROM (SELECT%'")) {
            seen.setTimestamp(1, since);
            Eventually.until("the read's query on the database", Duration.ofSeconds(5), () -> {
                try (ResultSet rows = seen.executeQuery()) {
                    rows.next();
                    return rows.getInt(1) > 0;
                }
            });
        }
    }

    private static Timestamp now(Connection primary) throws SQLException {
        try (Statement statement = primary.createStatement();
             ResultSet rows = statement.executeQuery("SELECT clock_timestamp()")) {
            rows.next();
            return rows.getTimestamp(1);
        }
    }

    private static <T> List<T> concurrently(int n, java.util.function.Supplier<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.get();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
