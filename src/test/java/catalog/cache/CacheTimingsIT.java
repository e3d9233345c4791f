package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import catalog.RunningApi;
import catalog.lab.Eventually;
import catalog.report.Figures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The original report's before/after table, measured live: medians of {@link #N} requests per case,
 * as ratios to the miss path measured in the same run. Defaults: REDIS_TIMEOUT_MS 1000 (the
 * original's), breaker 3 failures, cool-down 5 s. "No breaker" is the same API with a threshold it
 * never reaches: the original's behaviour, every request paying the timeout.
 */
@Tag("cache")
@DisplayName("Cache timings")
class CacheTimingsIT extends CacheScenarios {
    private static final int N = 20;
    private static final Duration SLOW_REDIS = Duration.ofMillis(300);

    @Test
    @DisplayName("a hit is faster than a miss, and a dead Redis costs a miss once the breaker is open")
    void cacheTimings(Figures figures) {
        List<List<String>> rows = new ArrayList<>();
        try (RunningApi withBreaker = lab.startApi(); RunningApi noBreaker = lab.startApi(s -> s.breakerFailures(1000));
             RunningApi healthy = lab.startApi(s -> s.redisUrl(lab.directRedisUrl()))) {
            ApiClient api = withBreaker.client();
            List<Long> ids = products(api);
            List<Long> cold = products(api);
            List<Long> coldLater = products(api);
            Samples.reads(api, ids);
            Eventually.until(Duration.ofSeconds(5), () -> ids.stream().allMatch(id -> !lab.cached(id).isEmpty()), done -> done, "fills done");
            // Misses and hits alternate, so a burst of load on this shared machine hits both alike.
            List<ApiResponse> miss = new ArrayList<>();
            List<ApiResponse> hit = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                miss.addAll(Samples.reads(api, List.of(cold.get(i))));
                hit.addAll(Samples.reads(api, List.of(ids.get(i))));
            }
            lab.slowRedis(SLOW_REDIS);
            List<ApiResponse> slow = Samples.reads(api, ids);
            lab.healRedis();
            lab.blackHoleRedis();
            List<ApiResponse> hungNoBreaker = Samples.reads(noBreaker.client(), ids);
            List<ApiResponse> beforeOpen = Samples.reads(api, ids.subList(0, 3));
            // The outage's steady state alternates with misses on an instance whose Redis is fine.
            List<ApiResponse> breakerOpen = new ArrayList<>();
            List<ApiResponse> missMeanwhile = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                breakerOpen.addAll(Samples.reads(api, List.of(ids.get(i))));
                missMeanwhile.addAll(Samples.reads(healthy.client(), List.of(coldLater.get(i))));
            }
            lab.healRedis();

            double base = Samples.medianMs(miss);
            rows.add(row("first call (miss): Redis + database", miss, base));
            rows.add(row("second call (hit): Redis only", hit, base));
            rows.add(row("Redis slow (+" + SLOW_REDIS.toMillis() + " ms, under the timeout)", slow, base));
            rows.add(row("Redis hung, no breaker (the original's behaviour)", hungNoBreaker, base));
            rows.add(row("Redis hung, the 3 requests before the breaker opens", beforeOpen, base));
            rows.add(row("Redis hung, breaker open (steady state)", breakerOpen, base));
            rows.add(row("meanwhile, a miss on an instance whose Redis is fine", missMeanwhile, base));
            figures.table("Cache timings", List.of("case", "requests", "median ms", "vs miss", "X-Cache"), rows);

            assertThat(hit).allSatisfy(r -> assertThat(r.header("X-Cache")).isEqualTo("HIT"));
            assertThat(breakerOpen).allSatisfy(r -> assertThat(r.header("X-Cache")).isEqualTo("BYPASS"));
            assertThat(Samples.medianMs(hit)).isLessThan(base);
            assertThat(missMeanwhile).allSatisfy(r -> assertThat(r.header("X-Cache")).isEqualTo("MISS"));
            assertThat(Samples.medianMs(breakerOpen)).isLessThanOrEqualTo(1.5 * Samples.medianMs(missMeanwhile));
            assertThat(Samples.medianMs(hungNoBreaker)).isGreaterThanOrEqualTo(1000);
        }
    }

    private List<Long> products(ApiClient api) {
        return LongStream.range(0, N).mapToObj(i -> api.create("Produit " + i, i + ".50", 1)).toList();
    }

    private static List<String> row(String name, List<ApiResponse> responses, double base) {
        double median = Samples.medianMs(responses);
        String xCache = responses.stream().map(r -> r.header("X-Cache")).distinct().reduce((a, b) -> a + "/" + b).orElse("");
        return List.of(name, String.valueOf(responses.size()), Samples.ms(median), Samples.ratio(median, base), xCache);
    }
}
