package catalog.report;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.lab.LabImages;
import catalog.lab.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * The report machinery end to end against a real server, so that {@code target/spec-report/} shows
 * figures and a timeline from the run even when other scenarios fail.
 */
@DisplayName("The spec report")
@ExtendWith(SpecReport.class)
class SpecReportIT {
    private static final Duration PHASE = Duration.ofSeconds(1);
    private static final int TIMEOUT_MILLIS = 200;

    @Test
    @DisplayName("shows every PING to a real Redis, with the ones that timed out while it was paused")
    void recordsPingsAroundAPause(Figures figures) {
        try (RedisServer redis = new RedisServer(LabImages.fromEnvironment())) {
            redis.start();
            Timeline timeline = figures.timeline("PING to Redis, paused for one second");
            PingLoop pings = new PingLoop(redis.adminUri(), TIMEOUT_MILLIS, timeline);

            pings.runFor(PHASE);
            timeline.mark("pause");
            redis.pause();
            pings.runFor(PHASE);
            redis.unpause();
            timeline.mark("unpause");
            pings.runFor(PHASE);

            List<Timeline.Request> failed = timeline.requests().stream().filter(r -> !r.ok()).toList();
            figures.record("PINGs", timeline.requests().size(), "");
            figures.record("PINGs timed out while paused", failed.size(), "");
            figures.record("median PING while healthy", pings.medianHealthyMillis(), "ms");
            assertThat(failed).isNotEmpty().allSatisfy(r -> assertThat(r.startMillis())
                    .isBetween(mark(timeline, "pause") - TIMEOUT_MILLIS, mark(timeline, "unpause")));
            assertThat(timeline.requests().size() - failed.size()).isGreaterThan(10);
        }
    }

    private static long mark(Timeline timeline, String label) {
        return timeline.marks().stream().filter(m -> m.label().equals(label)).findFirst().orElseThrow().atMillis();
    }

    /** PINGs back to back on one connection, reconnecting after a timeout (Jedis drops it then). */
    private static final class PingLoop {
        private final URI redis;
        private final int timeoutMillis;
        private final Timeline timeline;
        private final java.util.ArrayList<Long> healthyNanos = new java.util.ArrayList<>();
        private Jedis jedis;

        PingLoop(URI redis, int timeoutMillis, Timeline timeline) {
            this.redis = redis;
            this.timeoutMillis = timeoutMillis;
            this.timeline = timeline;
        }

        void runFor(Duration phase) {
            long end = System.nanoTime() + phase.toNanos();
            while (System.nanoTime() < end) {
                long start = timeline.now();
                long startNanos = System.nanoTime();
                boolean ok = ping();
                timeline.request("ping", start, ok);
                if (ok) {
                    healthyNanos.add(System.nanoTime() - startNanos);
                }
                sleepQuietly(20);
            }
            if (jedis != null) {
                jedis.close();
                jedis = null;
            }
        }

        double medianHealthyMillis() {
            List<Long> sorted = healthyNanos.stream().sorted().toList();
            return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2) / 1e6;
        }

        private boolean ping() {
            try {
                if (jedis == null) {
                    jedis = new Jedis(redis, timeoutMillis);
                }
                return "PONG".equals(jedis.ping());
            } catch (RuntimeException e) {
                if (jedis != null) {
                    jedis.close();
                }
                jedis = null;
                return false;
            }
        }

        private static void sleepQuietly(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
