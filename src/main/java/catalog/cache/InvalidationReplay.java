package catalog.cache;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Replays this instance's pending invalidations ({@link PendingInvalidations}) as soon as Redis
 * takes them, instead of only before this instance next reads the cache.
 *
 * <p>Why a thread: pending invalidations are this instance's, and another instance that reaches
 * Redis reads what this one could not invalidate, the entry a write here replaced or one a reader
 * there filled from a row it read just before the write (the write's invalidation never deleted the
 * reader's lease). This instance's next read of the cache comes after its breaker's cool-down at the
 * earliest (5 s), and perhaps never. Seen in the spec when Redis came back after a host was lost:
 * one instance's breaker had closed, the other's was still cooling down, and for 1.4 s the first
 * served a price the second had replaced.
 *
 * <p>So from the moment a write leaves an invalidation pending, one thread tries the replay, past
 * the breaker, one call at a time (each within the Redis timeout), and again every {@code pause}
 * until Redis takes it. Other instances then read a replaced price for as long as this instance
 * cannot reach Redis and at most about a pause after it can, not for a cool-down or more.
 */
final class InvalidationReplay implements AutoCloseable {
    private final BooleanSupplier replay;
    private final long pauseNanos;
    private final Thread thread;
    /** Raised by {@link #wanted()} after an invalidation was remembered; the thread lowers it before a replay. */
    private volatile boolean wanted;
    private volatile boolean closed;

    /**
     * Starts the thread. {@code replay} replays what is pending and returns true once nothing is
     * (false when Redis did not take it: tried again after {@code pause}).
     */
    static InvalidationReplay start(BooleanSupplier replay, Duration pause) {
        return new InvalidationReplay(replay, pause);
    }

    private InvalidationReplay(BooleanSupplier replay, Duration pause) {
        this.replay = replay;
        this.pauseNanos = pause.toNanos();
        this.thread = new Thread(this::run, "redis-invalidation-replay");
        thread.setDaemon(true);
        thread.start();
    }

    /** An invalidation was just remembered: replay it now (the write does not wait for it). */
    void wanted() {
        wanted = true;
        LockSupport.unpark(thread);
    }

    private void run() {
        while (!closed) {
            if (!wanted) {
                LockSupport.park(this);
                continue;
            }
            // Lowered before the replay reads what is pending: an id remembered after that read
            // raises it again, so it gets a replay of its own.
            wanted = false;
            if (!replayed()) {
                wanted = true;
                pause();
            }
        }
    }

    /**
     * The whole pause, however many writes remember an id meanwhile: while Redis is away, each of
     * their nudges would otherwise cost a call that fails, one per write. Only close() cuts it short.
     */
    private void pause() {
        long until = System.nanoTime() + pauseNanos;
        for (long left = pauseNanos; left > 0 && !closed; left = until - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
    }

    private boolean replayed() {
        try {
            return replay.getAsBoolean();
        } catch (RuntimeException e) {
            return false;   // Redis calls do not throw; anything else is tried again like a failure
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
