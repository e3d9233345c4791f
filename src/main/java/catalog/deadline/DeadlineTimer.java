package catalog.deadline;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounds blocking calls that run on the caller's own thread (Redis calls, database writes). One thread ticks every {@code tick},
 * finds the calls past their deadline and aborts each by closing what it blocks on (its socket), so
 * the blocked read or connect fails at once: pgjdbc's query timeout works the same way (a timer
 * cancels the statement). Handing each call to another thread and waiting on a Future bounds the
 * wait too, but costs two thread hand-offs per call, which on the cache-hit path cost more than
 * the Redis round trip itself.
 *
 * <p>A call registers by writing its deadline into its thread's {@link Watch}, created once per
 * thread: no allocation, no lock, no queue per call. A call overruns by at most one tick.
 */
public final class DeadlineTimer implements AutoCloseable {
    private final long tickNanos;
    private final long origin = System.nanoTime();
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Watch> threadWatch = ThreadLocal.withInitial(this::register);
    private final Thread ticker;
    private volatile boolean closed;

    public DeadlineTimer(long tick, TimeUnit unit, String name) {
        if (tick <= 0) {
            throw new IllegalArgumentException("deadline timer tick must be > 0, got " + tick);
        }
        this.tickNanos = unit.toNanos(tick);
        this.ticker = new Thread(this::tickUntilClosed, name);
        ticker.setDaemon(true);
        ticker.start();
    }

    /** A tick fine enough for this timeout: a twentieth of it, between 1 and 10 ms. */
    public static DeadlineTimer forTimeout(long timeoutMs, String name) {
        return new DeadlineTimer(Math.max(1, Math.min(10, timeoutMs / 20)), TimeUnit.MILLISECONDS, name);
    }

    /**
     * Starts watching a call on this thread; the caller must {@link Watch#disarm()} it in a finally
     * block, on the same thread.
     */
    public Watch arm(long timeoutNanos) {
        Watch watch = threadWatch.get();
        watch.arm(System.nanoTime() - origin + timeoutNanos);
        return watch;
    }

    /**
     * Names what the current thread's call blocks on, when it opens it deep inside a library (a
     * socket being connected). Ignored when no call is armed on this thread.
     */
    public void guardCurrent(Closeable target) {
        Watch watch = threadWatch.get();
        if (watch.armed()) {
            watch.guard(target);
        }
    }

    private Watch register() {
        Watch watch = new Watch();
        watches.add(watch);
        return watch;
    }

    private void tickUntilClosed() {
        while (!closed) {
            LockSupport.parkNanos(tickNanos);
            long now = System.nanoTime() - origin;
            for (Watch watch : watches) {
                watch.abortIfOverdue(now);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(ticker);
    }

    /**
     * One thread's watched call. {@code state} holds the call's deadline while it runs (deadlines of
     * successive calls strictly increase, so a stale deadline can never match a later call), IDLE
     * between calls, FIRING while the deadline timer closes the target and FIRED once it has.
     */
    public static final class Watch {
        private static final long IDLE = 0;
        private static final long FIRING = -1;
        private static final long FIRED = -2;

        private final AtomicLong state = new AtomicLong(IDLE);
        private volatile Closeable target;
        private long lastDeadline;   // touched by the owning thread only

        private void arm(long deadline) {
            long d = Math.max(deadline, lastDeadline + 1);
            lastDeadline = d;
            target = null;
            state.set(d);
        }

        private boolean armed() {
            return state.get() != IDLE;
        }

        /** What to close if the call overruns; closed at once if it already has. */
        public void guard(Closeable what) {
            target = what;
            // Paired with abortIfOverdue's CAS-then-read: one of the two sees the other's write.
            if (state.get() < 0) {
                closeQuietly(what);
            }
        }

        /** Ends the call; true if the deadline timer aborted it (its target is closed and must be discarded). */
        public boolean disarm() {
            long d = state.get();
            if (d > 0 && state.compareAndSet(d, IDLE)) {
                target = null;
                return false;
            }
            while (state.get() == FIRING) {
                Thread.onSpinWait();   // the deadline timer is closing the target: microseconds
            }
            target = null;
            state.set(IDLE);
            return true;
        }

        private void abortIfOverdue(long now) {
            long d = state.get();
            if (d > 0 && now >= d && state.compareAndSet(d, FIRING)) {
                // Read after the CAS: while FIRING the owner cannot move on to another call.
                Closeable what = target;
                if (what != null) {
                    closeQuietly(what);
                }
                state.set(FIRED);
            }
        }

        private static void closeQuietly(Closeable what) {
            try {
                what.close();
            } catch (IOException | RuntimeException e) {
                // Closing is the abort; a failure to close leaves the call to its socket timeout.
            }
        }
    }
}
