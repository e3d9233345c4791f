package catalog.cache;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Decides whether Redis is worth calling. Closed: every call goes through. After
 * {@code failureThreshold} consecutive failures or timeouts it opens: for {@code coolDown} no call
 * goes to Redis at all, so a dead or slow Redis costs nothing per request. After the cool-down the
 * first caller becomes the single probe (half-open); its success closes the breaker, its failure
 * re-opens it for another cool-down.
 *
 * <p>Defaults (CACHE_BREAKER_FAILURES, CACHE_BREAKER_COOLDOWN_MS): 3 failures, 5 s cool-down. The
 * clock is injected so tests step time instead of sleeping.
 */
public final class CircuitBreaker {
    public enum State { CLOSED, OPEN, HALF_OPEN }

    /** Thresholds; both validated once, loudly. */
    public record Settings(int failureThreshold, Duration coolDown) {
        public Settings {
            if (failureThreshold < 1) {
                throw new IllegalArgumentException("breaker failure threshold must be >= 1, got " + failureThreshold);
            }
            if (coolDown.isNegative() || coolDown.isZero()) {
                throw new IllegalArgumentException("breaker cool-down must be > 0, got " + coolDown);
            }
        }
    }

    private final Settings settings;
    private final LongSupplier nanoTime;
    private final Map<State, Long> entries = new EnumMap<>(State.class);

    // Volatile so the closed breaker's common case (a call, a success) takes no lock.
    private volatile State state = State.CLOSED;
    private volatile int consecutiveFailures;
    private long openedAt;
    private long probeStartedAt;

    public CircuitBreaker(Settings settings, LongSupplier nanoTime) {
        this.settings = settings;
        this.nanoTime = nanoTime;
        for (State s : State.values()) {
            entries.put(s, 0L);
        }
    }

    /**
     * True when the caller may call Redis now. In the open state the first caller after the
     * cool-down is the probe; everyone else is told to bypass until the probe reports.
     */
    public boolean tryAcquire() {
        return state == State.CLOSED || tryAcquireWhileOpen();
    }

    private synchronized boolean tryAcquireWhileOpen() {
        long now = nanoTime.getAsLong();
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (now - openedAt < settings.coolDown().toNanos()) {
                    return false;
                }
                moveTo(State.HALF_OPEN);
                probeStartedAt = now;
                return true;
            default:
                // A probe that never reported (its thread died) must not keep the cache off forever.
                if (now - probeStartedAt >= settings.coolDown().toNanos()) {
                    probeStartedAt = now;
                    return true;
                }
                return false;
        }
    }

    public void onSuccess() {
        if (state == State.CLOSED && consecutiveFailures == 0) {
            return;
        }
        recordSuccess();
    }

    private synchronized void recordSuccess() {
        consecutiveFailures = 0;
        // A late success while open proves little (it may have started long ago): wait for the probe.
        if (state == State.HALF_OPEN) {
            moveTo(State.CLOSED);
        }
    }

    public synchronized void onFailure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN
                || (state == State.CLOSED && consecutiveFailures >= settings.failureThreshold())) {
            openedAt = nanoTime.getAsLong();
            moveTo(State.OPEN);
        }
    }

    public State state() {
        return state;
    }

    /** How many times the breaker entered each state since it was created (for /metrics). */
    public synchronized Map<State, Long> transitionsInto() {
        return Map.copyOf(entries);
    }

    public Settings settings() {
        return settings;
    }

    private void moveTo(State next) {
        if (next != state) {
            state = next;
            entries.merge(next, 1L, Long::sum);
        }
    }
}
