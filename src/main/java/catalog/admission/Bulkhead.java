package catalog.admission;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A compartment of work with at most {@code permits} units running at once and at most
 * {@code maxWaiting} waiting for a permit; work that finds the waiting room full, or cannot get a
 * permit within {@code maxWait}, is shed: {@link Overloaded}, answered 503 with Retry-After. A
 * waiter holds an HTTP worker, so the waiting room is bounded too: a compartment never holds more
 * than {@code permits + maxWaiting} workers. And waiting is only worth it while the compartment
 * moves: when no permit came back for a whole {@code maxWait} (its work is stalled, e.g. the
 * database stopped answering), work is refused at once instead of holding a worker for nothing.
 *
 * <p>This is the API's one admission rule in its semaphore form, for work that runs on the
 * caller's thread: database reads, with fewer permits than request workers, so a stalled read path
 * leaves workers to cache hits. {@link Lane} is the same rule for work with threads of its own:
 * the HTTP work queue and the writes.
 */
public final class Bulkhead {
    /** Permits, how many may wait for one and for how long; validated once, loudly. */
    public record Settings(int permits, int maxWaiting, Duration maxWait) {
        public Settings {
            if (permits < 1) {
                throw new IllegalArgumentException("a bulkhead needs at least 1 permit, got " + permits);
            }
            if (maxWaiting < 0) {
                throw new IllegalArgumentException("a bulkhead's waiting room must be >= 0, got " + maxWaiting);
            }
            if (maxWait.isNegative()) {
                throw new IllegalArgumentException("a bulkhead's wait must be >= 0, got " + maxWait);
            }
        }
    }

    private final Settings settings;
    private final Semaphore permits;
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile long lastReleaseNanos = System.nanoTime();
    private final long maxWaitNanos;
    private final Shedding.Reason reason;
    private final int retryAfterSeconds;
    private final Shedding shedding;

    public Bulkhead(Settings settings, Shedding.Reason reason, int retryAfterSeconds, Shedding shedding) {
        this.settings = settings;
        this.permits = new Semaphore(settings.permits());
        this.maxWaitNanos = settings.maxWait().toNanos();
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
        this.shedding = shedding;
    }

    /** A permit held: release it by closing (try-with-resources), exactly once. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final Permit permit = this::release;

    /**
     * Takes a permit for {@code try (Permit p = bulkhead.enter()) {...}}, or throws {@link Overloaded}
     * once the wait budget is spent.
     */
    public Permit enter() {
        acquire();
        return permit;
    }

    /** Runs the work under a permit, or throws {@link Overloaded} once the wait budget is spent. */
    public <T> T run(Supplier<T> work) {
        try (Permit held = enter()) {
            return work.get();
        }
    }

    private void release() {
        lastReleaseNanos = System.nanoTime();
        permits.release();
    }

    private void acquire() {
        if (!permits.tryAcquire() && !awaitPermit()) {
            shedding.count(reason);
            throw new Overloaded(reason, retryAfterSeconds);
        }
    }

    private boolean awaitPermit() {
        if (maxWaitNanos == 0 || System.nanoTime() - lastReleaseNanos > maxWaitNanos) {
            return false;   // no waiting, or the compartment is stalled: waiting would hold a worker for nothing
        }
        if (waiting.incrementAndGet() > settings.maxWaiting()) {
            waiting.decrementAndGet();
            return false;
        }
        try {
            return permits.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiting.decrementAndGet();
        }
    }

    public Settings settings() {
        return settings;
    }

    /** Permits in use now (for /metrics). */
    public int inUse() {
        return settings.permits() - permits.availablePermits();
    }
}
