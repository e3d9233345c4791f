package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import catalog.RunningApi;
import catalog.lab.Eventually;
import catalog.lab.Pace;
import catalog.report.Figures;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Near copies: a hot product is served from the process without a Redis call, and never after
 * Redis knows it changed. Redis is real, reached through Toxiproxy; "another client" is a plain
 * Jedis connection straight to Redis.
 */
@Tag("cache")
@DisplayName("Near copies of hot products")
class NearCacheIT extends CacheScenarios {
    private static final int ROUNDS = 200;
    private static final int HITS = 50;

    @Test
    @DisplayName("a repeated hit is answered from the process, and only a hit that finds the gate shut calls Redis")
    void repeatedHitCostsNoRedisCall(Figures figures) {
        try (RunningApi running = lab.startApi()) {
            ApiClient api = running.client();
            long id = nearCopy(api, api.create("Lampe", "10.00", 1));
            long getsBefore = lab.redisCalls("get");
            double nearBefore = nearHits(api);

            for (int i = 0; i < HITS; i++) {
                ApiResponse hit = api.get("/products/" + id);
                assertThat(hit.header("X-Cache")).isEqualTo("HIT");
                assertThat(hit.json().get("source").getAsString()).isEqualTo("cache");
            }

            // The gate shuts for a moment now and then (a PING's answer waiting in the socket, a
            // heartbeat late on a busy machine): such a hit reads Redis instead, one GET each.
            double near = nearHits(api) - nearBefore;
            long gets = lab.redisCalls("get") - getsBefore;
            assertThat(near + gets).as("every hit a near copy or one Redis GET").isEqualTo(HITS);
            assertThat(near).as("hits answered from the process").isGreaterThanOrEqualTo(HITS * 0.8);
            figures.record("hits answered from near copies", near, "of " + HITS);
            figures.record("hits that found the gate shut (one Redis GET each)", gets, "of " + HITS);
        }
    }

    @Test
    @DisplayName("a change any client makes in Redis is served within the heartbeat, as a rule by the very next read")
    void changeInRedisServedWithinTheHeartbeat(Figures figures) {
        try (RunningApi running = lab.startApi();
             Jedis otherClient = new Jedis(URI.create(lab.directRedisUrl()))) {
            ApiClient api = running.client();
            long id = nearCopy(api, api.create("Lampe", "10.00", 1));
            String entry = otherClient.get("product:" + id);
            assertThat(entry).contains("\"price\":10.00,");
            double nearBefore = nearHits(api);
            Staleness staleness = new Staleness();

            for (int round = 1; round <= ROUNDS; round++) {
                String price = round + ".00";
                otherClient.set("product:" + id, entry.replace("\"price\":10.00,", "\"price\":" + price + ","));
                staleness.readUntil(api, id, price);
                // A second read: now from a near copy of the new value.
                assertThat(price(api.get("/products/" + id))).as("round %d, again", round).isEqualByComparingTo(price);
            }

            staleness.assertWithinBound();
            // The copies were in play, not bypassed: the second read of most rounds was one.
            double served = nearHits(api) - nearBefore;
            assertThat(served).isGreaterThanOrEqualTo(ROUNDS / 2.0);
            staleness.record(figures, "changes by another Redis client (straight to Redis; the API's feed goes through a proxy)");
            figures.record("of the reads after a change, answered from a near copy", served, "reads");
        }
    }

    @Test
    @DisplayName("a write on one instance is served by another within the heartbeat, as a rule by its very next read")
    void writeOnOneInstanceServedByTheOther(Figures figures) {
        try (RunningApi writerApi = lab.startApi(); RunningApi readerApi = lab.startApi()) {
            ApiClient writer = writerApi.client();
            ApiClient reader = readerApi.client();
            long id = nearCopy(reader, writer.create("Lampe", "10.00", 1));
            double nearBefore = nearHits(reader);
            Staleness staleness = new Staleness();

            for (int round = 1; round <= ROUNDS / 4; round++) {
                String price = round + ".00";
                nearCopy(reader, id);   // the reader holds a copy of the old price
                assertThat(writer.put("/products/" + id, ApiClient.product("Lampe", price, 1)).status()).isEqualTo(200);
                staleness.readUntil(reader, id, price);
            }

            staleness.assertWithinBound();
            assertThat(nearHits(reader) - nearBefore).isPositive();
            staleness.record(figures, "writes on one instance, read at once on the other");
        }
    }

    @Test
    @DisplayName("a Redis that stops answering shuts the gate: no copy is served once its PINGs go unanswered")
    void slowRedisShutsTheGate(Figures figures) {
        try (RunningApi running = lab.startApi()) {
            ApiClient api = running.client();
            long id = nearCopy(api, api.create("Lampe", "10.00", 1));

            lab.slowRedis(Duration.ofMillis(600));
            Pace.pause(300);   // three heartbeats without an answer
            double nearBefore = nearHits(api);
            ApiResponse read = api.get("/products/" + id);

            assertThat(read.status()).isEqualTo(200);
            assertThat(nearHits(api)).as("near hits once Redis stopped answering").isEqualTo(nearBefore);
            assertThat(read.elapsed()).as("the read waited for Redis").isGreaterThanOrEqualTo(Duration.ofMillis(500));
            lab.healRedis();
            nearCopy(api, id);
            figures.record("read with Redis 600 ms late, a copy in the process (not served)", read.elapsed().toMillis(), "ms");
        }
    }

    @Test
    @DisplayName("when the invalidation feed is lost every copy goes with it, and copies come back once it is subscribed again")
    void lostFeedDropsEveryCopy() {
        try (RunningApi running = lab.startApi()) {
            ApiClient api = running.client();
            long id = nearCopy(api, api.create("Lampe", "10.00", 1));

            lab.cutRedis();
            Eventually.until(Duration.ofSeconds(5), () -> cacheHealth(api, "invalidationFeed"), "lost"::equals, "feed lost");
            assertThat(cacheHealth(api, "nearCopies")).isEqualTo("0");
            lab.healRedis();

            Eventually.until(Duration.ofSeconds(15), () -> cacheHealth(api, "invalidationFeed"), "subscribed"::equals,
                    "feed subscribed again");
            nearCopy(api, id);
        }
    }

    /**
     * How long reads went on seeing the value a change replaced. Near copies are dropped when the
     * change's message reaches the instance; the heartbeat (100 ms at the default timeout) bounds
     * how long a delayed message can go unnoticed, and {@link #BOUND} leaves a loaded machine room.
     */
    private static final class Staleness {
        private static final Duration BOUND = Duration.ofSeconds(1);
        private int rounds;
        private int staleNextReads;
        private long longestNanos;

        void readUntil(ApiClient api, long id, String price) {
            rounds++;
            long changed = System.nanoTime();
            boolean first = true;
            while (price(api.get("/products/" + id)).compareTo(new BigDecimal(price)) != 0) {
                if (first) {
                    staleNextReads++;
                    first = false;
                }
                assertThat(Duration.ofNanos(System.nanoTime() - changed)).as("round %d: the old value still served", rounds)
                        .isLessThan(BOUND);
            }
            longestNanos = Math.max(longestNanos, first ? 0 : System.nanoTime() - changed);
        }

        void assertWithinBound() {
            assertThat(Duration.ofNanos(longestNanos)).isLessThan(BOUND);
        }

        void record(Figures figures, String what) {
            figures.record(what + ": rounds", rounds, "rounds");
            figures.record(what + ": the very next read still had the old value", staleNextReads, "rounds");
            figures.record(what + ": longest the old value was served", longestNanos / 1e6, "ms");
        }
    }

    /** Reads the product until a read is answered from a near copy; returns its id. */
    private static long nearCopy(ApiClient api, long id) {
        Eventually.until(Duration.ofSeconds(10), () -> {
            double before = nearHits(api);
            api.get("/products/" + id);
            return nearHits(api) > before;
        }, Boolean::booleanValue, "product " + id + " answered from a near copy");
        return id;
    }

    private static double nearHits(ApiClient api) {
        return Scrape.sample(api, "cache_lookups_total", "result=\"near_hit\"");
    }

    private static String cacheHealth(ApiClient api, String field) {
        return api.get("/health").json().getAsJsonObject("cache").get(field).getAsString();
    }

    private static BigDecimal price(ApiResponse r) {
        assertThat(r.status()).isEqualTo(200);
        return r.data().get("price").getAsBigDecimal();
    }

}
