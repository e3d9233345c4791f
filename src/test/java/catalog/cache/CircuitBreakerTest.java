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
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
        fail(1);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.tryAcquire()).isFalse();
    }

    @Test
    @DisplayName("a success resets the count of consecutive failures")
    void successResets() {
        fail(2);
        breaker.onSuccess();
        fail(2);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    @DisplayName("after the cool-down exactly one caller probes while the others bypass")
    void singleProbe() {
        fail(3);
        advance(Duration.ofMillis(4999));
        assertThat(breaker.tryAcquire()).isFalse();
        advance(Duration.ofMillis(1));
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.tryAcquire()).isFalse();
    }

    @Test
    @DisplayName("a successful probe closes the breaker")
    void probeSuccessCloses() {
        fail(3);
        advance(Duration.ofSeconds(5));
        breaker.tryAcquire();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    @DisplayName("a failed probe re-opens the breaker for a whole new cool-down")
    void probeFailureReopens() {
        fail(3);
        advance(Duration.ofSeconds(5));
        breaker.tryAcquire();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        advance(Duration.ofMillis(4999));
        assertThat(breaker.tryAcquire()).isFalse();
        advance(Duration.ofMillis(1));
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    @DisplayName("a late success from a call started before the breaker opened does not close it")
    void lateSuccessWhileOpen() {
        fail(3);
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    @DisplayName("a probe that never reports is replaced after another cool-down")
    void lostProbe() {
        fail(3);
        advance(Duration.ofSeconds(5));
        assertThat(breaker.tryAcquire()).isTrue();
        advance(Duration.ofSeconds(5));
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    @DisplayName("every transition is counted by the state it entered")
    void transitionsCounted() {
        fail(3);
        advance(Duration.ofSeconds(5));
        breaker.tryAcquire();
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
