package catalog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.http.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HealthHandlerTest {
    /** How often the one part was probed. */
    private final AtomicInteger probes = new AtomicInteger();

    /** A handler over one critical part, "database", whose probes answer once {@code hang} is open. */
    private HealthHandler healthOfTheDatabase(CountDownLatch hang) {
        return new HealthHandler(List.of(check("database", true, probes, hang)));
    }

    private static HealthCheck check(String name, boolean critical, AtomicInteger probes, CountDownLatch hang) {
        return new HealthCheck() {
            public String name() {
                return name;
            }

            public boolean critical() {
                return critical;
            }

            public Result check() {
                probes.incrementAndGet();
                try {
                    hang.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new Result(true, Map.of());
            }
        };
    }

    @Test
    @DisplayName("a part that hangs is down after the probe timeout, and is not probed again while it hangs")
    void hungPart() {
        CountDownLatch never = new CountDownLatch(1);
        try (HealthHandler health = healthOfTheDatabase(never)) {
            long start = System.nanoTime();
            Reply reply = health.handle(null);
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(reply.status()).isEqualTo(503);
            // The shape openapi.yaml gives a part: a hung part is unreachable, with the reason.
            assertThat(new String(reply.body(), StandardCharsets.UTF_8)).contains("\"reachable\":false").contains("no answer within");
            assertThat(tookMs).isBetween(HealthHandler.PROBE_TIMEOUT_MS - 50, HealthHandler.PROBE_TIMEOUT_MS * 3);
            try {
                Thread.sleep(HealthHandler.REUSE_MS + 50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            health.handle(null);
            assertThat(probes).hasValue(1);
        } finally {
            never.countDown();
        }
    }

    @Test
    @DisplayName("a flood of /health within the reuse period costs one probe of each part")
    void flood() {
        CountDownLatch answered = new CountDownLatch(0);
        try (HealthHandler health = healthOfTheDatabase(answered)) {
            for (int i = 0; i < 200; i++) {
                assertThat(health.handle(null).status()).isEqualTo(200);
            }
            assertThat(probes).hasValue(1);
        }
    }
}
