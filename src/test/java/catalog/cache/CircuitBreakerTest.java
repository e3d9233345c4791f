package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import catalog.cache.CircuitBreaker.Settings;
import catalog.cache.CircuitBreaker.State;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private final AtomicLong now = new AtomicLong();
    private final CircuitBreaker breaker =
            new CircuitBreaker(new Settings(3, Duration.ofSeconds(5)), now::get);

    @Test
    @DisplayName("the breaker stays closed until the third consecutive failure")
    void opensAfterThreshold() {
        fail(2);
        assertClosedAndLetsCallsThrough();
        fail(1);
        assertOpenAndBypassing();
    }

    @Test
    @DisplayName("a success resets the count of consecutive failures")
    void successResets() {
        fail(2);
        breaker.onSuccess();
        fail(2);
        assertState(State.CLOSED);
    }

    @Test
    @DisplayName("after the cool-down exactly one caller probes while the others bypass")
    void singleProbe() {
        fail(3);
        assertCoolDownLastsFiveSeconds();
        assertState(State.HALF_OPEN);
        assertBypassed();
        assertBypassed();
    }

    @Test
    @DisplayName("a successful probe closes the breaker")
    void probeSuccessCloses() {
        probeAfterTheCoolDown();
        breaker.onSuccess();
        assertClosedAndLetsCallsThrough();
    }

    @Test
    @DisplayName("a failed probe re-opens the breaker for a whole new cool-down")
    void probeFailureReopens() {
        probeAfterTheCoolDown();
        breaker.onFailure();
        assertState(State.OPEN);
        assertCoolDownLastsFiveSeconds();
    }

    @Test
    @DisplayName("a late success from a call started before the breaker opened does not close it")
    void lateSuccessWhileOpen() {
        fail(3);
        breaker.onSuccess();
        assertState(State.OPEN);
    }

    @Test
    @DisplayName("a probe that never reports is replaced after another cool-down")
    void lostProbe() {
        fail(3);
        advance(Duration.ofSeconds(5));
        assertLetThrough();
        advance(Duration.ofSeconds(5));
        assertLetThrough();
    }

    @Test
    @DisplayName("every transition is counted by the state it entered")
    void transitionsCounted() {
        probeAfterTheCoolDown();
        breaker.onSuccess();
        assertThat(breaker.transitionsInto())
                .containsEntry(State.OPEN, 1L)
                .containsEntry(State.HALF_OPEN, 1L)
                .containsEntry(State.CLOSED, 1L);
    }

    @Test
    @DisplayName("settings that would disable the breaker are refused with the setting's name")
    void badSettings() {
        assertThatThrownBy(() -> new Settings(0, Duration.ofSeconds(1)))
                .hasMessageContaining("failure threshold");
        assertThatThrownBy(() -> new Settings(3, Duration.ZERO)).hasMessageContaining("cool-down");
    }

    private void assertState(State state) {
        assertThat(breaker.state()).isEqualTo(state);
    }

    /** Then: the next caller is let through to Redis (closed, or the one probe after a cool-down). */
    private void assertLetThrough() {
        assertThat(breaker.tryAcquire()).as("the next caller let through").isTrue();
    }

    /** Then: the next caller bypasses Redis. */
    private void assertBypassed() {
        assertThat(breaker.tryAcquire()).as("the next caller let through").isFalse();
    }

    private void assertClosedAndLetsCallsThrough() {
        assertState(State.CLOSED);
        assertLetThrough();
    }

    private void assertOpenAndBypassing() {
        assertState(State.OPEN);
        assertBypassed();
    }

    /** Then: callers bypass Redis for the whole cool-down (5 s), and the first one after it probes. */
    private void assertCoolDownLastsFiveSeconds() {
        advance(Duration.ofMillis(4999));
        assertBypassed();
        advance(Duration.ofMillis(1));
        assertLetThrough();
    }

    /** The breaker opened by three failures, its cool-down over, and one caller let through as the probe. */
    private void probeAfterTheCoolDown() {
        fail(3);
        advance(Duration.ofSeconds(5));
        breaker.tryAcquire();
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            breaker.tryAcquire();
            breaker.onFailure();
        }
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
