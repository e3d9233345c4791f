package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The timeout mechanism against deliberately slow calls (a fake slow call is the point here). */
class RedisCallsTest {
    private final CacheMetrics metrics = new CacheMetrics();
    private final CountDownLatch release = new CountDownLatch(1);
    private RedisCalls calls;

    @AfterEach
    void releaseStuckCalls() {
        release.countDown();
        calls.close();
    }

    private String stuck() throws InterruptedException {
        release.await(30, TimeUnit.SECONDS);
        return "late";
    }

    @Test
    @DisplayName("a call that answers in time returns its value")
    void answersInTime() {
        calls = new RedisCalls(2, 2, 1000, metrics);

        RedisOutcome<String> outcome = calls.call(() -> "value");

        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.value()).isEqualTo("value");
    }

    @Test
    @DisplayName("a slow call is abandoned after the timeout, cancelled and counted")
    void slowCallTimesOut() {
        calls = new RedisCalls(2, 2, 200, metrics);

        long start = System.nanoTime();
        RedisOutcome<String> outcome = calls.call(this::stuck);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(outcome.kind()).isEqualTo(RedisOutcome.Kind.TIMEOUT);
        assertThat(elapsedMs).isBetween(190L, 5_000L);
        assertThat(metrics.timeouts()).isEqualTo(1);
    }

    @Test
    @DisplayName("when every thread is stuck and the queue is full, a call is refused at once")
    void fullExecutorIsUnavailableAtOnce() {
        calls = new RedisCalls(1, 1, 10_000, metrics);
        calls.submit(() -> {
            try {
                stuck();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        calls.submit(() -> { });   // fills the queue

        long start = System.nanoTime();
        RedisOutcome<String> outcome = calls.call(() -> "never");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(outcome.kind()).isEqualTo(RedisOutcome.Kind.REJECTED);
        assertThat(elapsedMs).isLessThan(1_000L);
        assertThat(metrics.rejected()).isEqualTo(1);
    }

    @Test
    @DisplayName("a failing call is an error, never an exception for the caller")
    void failureIsAnOutcome() {
        calls = new RedisCalls(1, 1, 1000, metrics);

        RedisOutcome<String> outcome = calls.call(() -> {
            throw new IllegalStateException("connection refused");
        });

        assertThat(outcome.kind()).isEqualTo(RedisOutcome.Kind.ERROR);
        assertThat(outcome.error()).hasMessage("connection refused");
        assertThat(metrics.errors()).isEqualTo(1);
    }
}
