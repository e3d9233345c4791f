package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import catalog.RunningApi;
import catalog.history.CheckedHistory;
import catalog.lab.Eventually;
import catalog.lab.Pace;
import catalog.report.Figures;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A slow, hung or dead Redis costs the timeout on the first few requests only; once the breaker
 * opens a request costs a plain database read, and a price changed meanwhile is never served stale.
 * Toxiproxy sits between the API and Redis. Defaults: REDIS_TIMEOUT_MS 1000, breaker 3 failures,
 * cool-down 5 s.
 */
@Tag("cache")
@DisplayName("When Redis is slow, hung or down")
class RedisFaultsIT extends CacheScenarios {
    private static final int TIMEOUT_MS = 1000;
    private static final int THRESHOLD = 3;
    private static final Duration COOL_DOWN = Duration.ofSeconds(5);
    /** The register workload's run under a fault: past the cool-down, so a half-open probe falls in it. */
    private static final Duration HISTORY_UNDER_FAULT = COOL_DOWN.plusSeconds(2);
    /** Room for a loaded 2-core machine on top of timeout + database read. */
    private static final int MARGIN_MS = 1000;

    @Test
    @DisplayName("a Redis answering 2 s late costs the timeout on the first requests only, then a database read")
    void slowRedis(Figures figures) throws InterruptedException {
        breakerCapsTheCost(lab -> lab.slowRedis(Duration.ofSeconds(2)), "latency 2 s", figures);
    }

    @Test
    @DisplayName("a black-holed Redis costs the timeout on the first requests only, then a database read")
    void blackHoledRedis(Figures figures) throws InterruptedException {
        breakerCapsTheCost(CacheLab::blackHoleRedis, "black hole", figures);
    }

    @Test
    @DisplayName("a Redis refusing connections costs nothing but the cache")
    void refusedRedis(Figures figures) throws InterruptedException {
        breakerCapsTheCost(CacheLab::cutRedis, "connection refused", figures);
    }

    @Test
    @DisplayName("after Redis comes back, hits resume within the cool-down plus one probe")
    void hitsResume(Figures figures) {
        try (RunningApi running = lab.startApi()) {
            ApiClient api = running.client();
            long id = cachedProduct(api, "10.00");
            lab.cutRedis();
            Samples.reads(api, List.of(id, id, id));
            assertThat(breaker(api)).isEqualTo("open");

            lab.healRedis();
            long healed = System.nanoTime();
            Eventually.until(COOL_DOWN.plusSeconds(5), () -> api.get("/products/" + id).header("X-Cache"),
                    "HIT"::equals, "a cache hit after Redis came back");
            Duration toFirstHit = Duration.ofNanos(System.nanoTime() - healed);

            assertThat(toFirstHit).isLessThan(COOL_DOWN.plusMillis(MARGIN_MS));
            assertThat(breaker(api)).isEqualTo("closed");
            assertThat(Scrape.sample(api, "cache_breaker_transitions_total", "to=\"half_open\"")).isEqualTo(1);
            figures.record("Redis back -> first hit (cool-down " + COOL_DOWN.toSeconds() + " s)",
                    toFirstHit.toMillis() / 1000.0, "s");
        }
    }

    @Test
    @DisplayName("a price changed while Redis was cut is never served stale once Redis is back")
    void noLostInvalidation(Figures figures) {
        try (RunningApi running = lab.startApi();
             CheckedHistory history = CheckedHistory.start("Redis cut, then back (register workload throughout)",
                     running.api().baseUri(), 0)) {
            ApiClient api = running.client();
            long id = cachedProduct(api, "10.00");
            lab.cutRedis();
            Samples.reads(api, List.of(id, id, id));
            assertThat(api.put("/products/" + id, ApiClient.product("Lampe", "20.00", 1)).status()).isEqualTo(200);
            assertThat(lab.cached(id)).as("the old entry, in Redis while the API cannot reach it").contains("10.00");
            lab.healRedis();

            List<ApiResponse> after = readFor(api, id, COOL_DOWN.plusSeconds(2));

            assertThat(after).allSatisfy(r -> assertThat(price(r)).isEqualByComparingTo("20.00"));
            assertThat(after).anySatisfy(r -> assertThat(r.header("X-Cache")).isEqualTo("HIT"));
            assertThat(lab.cached(id)).doesNotContain("10.00");
            figures.record("reads after recovery, all with the new price", after.size(), "requests");
            history.stopAndJudge(figures).assertNoViolation();
        }
    }

    @Test
    @DisplayName("a price changed on an instance cut from Redis is not served by another once the cut heals, "
            + "though the first has not read since")
    void pendingInvalidationReachesTheOtherInstances(Figures figures) {
        try (RunningApi cut = lab.startApi();
             RunningApi other = lab.startApi(s -> s.redisUrl(lab.directRedisUrl()))) {
            ApiClient writer = cut.client();
            ApiClient reader = other.client();
            long id = cachedProduct(reader, "10.00");
            lab.cutRedis();
            Samples.reads(writer, List.of(id, id, id));
            assertThat(breaker(writer)).isEqualTo("open");
            assertThat(writer.put("/products/" + id, ApiClient.product("Lampe", "20.00", 1)).status()).isEqualTo(200);
            assertThat(price(reader.get("/products/" + id))).as("the other instance while the writer cannot reach Redis")
                    .isEqualByComparingTo("10.00");

            lab.healRedis();
            long healed = System.nanoTime();
            Eventually.until(COOL_DOWN, () -> price(reader.get("/products/" + id)), p -> p.compareTo(new BigDecimal("20.00")) == 0,
                    "the other instance serving the new price within the writer's cool-down");
            Duration stale = Duration.ofNanos(System.nanoTime() - healed);

            assertThat(breaker(writer)).as("the writer read nothing since: its breaker is still open").isEqualTo("open");
            assertThat(lab.cached(id)).doesNotContain("10.00");
            figures.record("Redis back -> another instance serves the price a cut-off instance changed (cool-down "
                    + COOL_DOWN.toSeconds() + " s)", stale.toMillis() / 1000.0, "s");
        }
    }

    /** (a)-(c): the first requests pay at most the timeout, then the breaker makes Redis free. */
    private void breakerCapsTheCost(Consumer<CacheLab> fault, String name, Figures figures) throws InterruptedException {
        try (RunningApi running = lab.startApi(s -> s.redisTimeout(Duration.ofMillis(TIMEOUT_MS)));
             RunningApi healthy = lab.startApi(s -> s.redisUrl(lab.directRedisUrl()))) {
            ApiClient api = running.client();
            List<Long> ids = products(api, 20 + THRESHOLD + 20);
            List<Long> coldLater = products(api, 20);
            double miss = Samples.medianMs(Samples.reads(api, ids.subList(0, 20)));
            fault.accept(lab);

            List<ApiResponse> first = Samples.reads(api, ids.subList(20, 20 + THRESHOLD));
            assertThat(breaker(api)).isEqualTo("open");
            double redisFailures = redisFailures(api);
            // Alternating with misses on an instance whose Redis is fine: load bursts hit both alike.
            List<ApiResponse> steady = new ArrayList<>();
            List<ApiResponse> missMeanwhile = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                steady.addAll(Samples.reads(api, List.of(ids.get(20 + THRESHOLD + i))));
                missMeanwhile.addAll(Samples.reads(healthy.client(), List.of(coldLater.get(i))));
            }
            assertThat(redisFailures(api)).as("no Redis call while the breaker is open").isEqualTo(redisFailures);

            assertThat(first).allSatisfy(r -> assertThat(r.elapsed()).isLessThan(Duration.ofMillis(
                    (long) (TIMEOUT_MS + miss + MARGIN_MS))));
            assertThat(steady).allSatisfy(RedisFaultsIT::servedWithoutCache);
            double steadyMedian = Samples.medianMs(steady);
            double missMedian = Samples.medianMs(missMeanwhile);
            assertThat(steadyMedian).as("median with the breaker open vs miss path %.1f ms", missMedian)
                    .isLessThanOrEqualTo(1.5 * missMedian);
            figures.record(name + ": miss path median", miss, "ms");
            figures.record(name + ": slowest of the first " + THRESHOLD + " requests", Samples.maxMs(first), "ms");
            figures.record(name + ": median with the breaker open", steadyMedian, "ms");
            figures.record(name + ": miss path median meanwhile (healthy instance)", missMedian, "ms");
            // After the timings (which it would disturb), while the fault holds: the breaker open, then a probe.
            CheckedHistory.during("Redis " + name + " (register workload, breaker open)", running.api().baseUri(),
                    HISTORY_UNDER_FAULT, figures);
        }
    }

    private static void servedWithoutCache(ApiResponse r) {
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("X-Cache")).isEqualTo("BYPASS");
        assertThat(r.json().get("cache").getAsString()).isEqualTo("unavailable");
    }

    private static List<Long> products(ApiClient api, int count) {
        return LongStream.range(0, count).mapToObj(i -> api.create("Produit " + i, "1" + i + ".00", 1)).toList();
    }

    private static List<ApiResponse> readFor(ApiClient api, long id, Duration period) {
        List<ApiResponse> responses = new ArrayList<>();
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            responses.add(api.get("/products/" + id));
            Pace.pause(50);
        }
        return responses;
    }

    private static long cachedProduct(ApiClient api, String price) {
        long id = api.create("Lampe", price, 1);
        Eventually.until(Duration.ofSeconds(5), () -> api.get("/products/" + id).header("X-Cache"), "HIT"::equals,
                "product " + id + " cached");
        return id;
    }

    private static double redisFailures(ApiClient api) {
        return Scrape.sample(api, "cache_redis_failures_total", "kind=\"timeout\"")
                + Scrape.sample(api, "cache_redis_failures_total", "kind=\"error\"")
                + Scrape.sample(api, "cache_redis_failures_total", "kind=\"rejected\"");
    }

    /**
     * The breaker's state as /metrics reports it. Not from /health: its probe PINGs Redis itself, and
     * against a black-holed Redis that PING's timeout could be counted just after a scenario took its
     * count of Redis failures (CI, 2026-12-06: 4 failures where 3 were counted).
     */
    private static String breaker(ApiClient api) {
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            String label = state.name().toLowerCase(Locale.ROOT);
            if (Scrape.sample(api, "cache_breaker_state", "state=\"" + label + "\"") == 1) {
                return label;
            }
        }
        throw new AssertionError("no cache_breaker_state at 1 in /metrics");
    }

    private static BigDecimal price(ApiResponse r) {
        return r.data().get("price").getAsBigDecimal();
    }

}
