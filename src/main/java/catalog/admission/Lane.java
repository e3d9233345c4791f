package catalog.admission;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A compartment with its own threads (see {@link Bulkhead} for the rule): at most {@code threads}
 * pieces of work run at once and at most {@code maxWaiting} wait for a thread. Work that finds the
 * waiting room full is refused at once, on the caller's thread ({@code full}); work still waiting
 * when its {@code maxWait} is up is taken out of the queue and refused ({@code late}) by the lane's
 * reaper thread, which looks at the head of the queue every twentieth of the budget, so a client
 * hears within about its budget even when every thread is stuck, and no work runs after its client
 * gave up. And work is only let in to wait when it can be expected to start within its budget
 * (Little's law: the queue ahead of it times the recent time per piece of work, over the threads);
 * when work is stuck (a stalled database), the expected wait is long and new work is refused at
 * once rather than after waiting its whole budget. The HTTP work queue is one lane; database writes are another, so
 * a stalled write path holds the write lane's threads and none of the request workers.
 */
public final class Lane {
    private final ThreadPoolExecutor threads;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Thread reaper;
    private volatile boolean closed;
    /** Recent time a piece of work takes (moving average, 1/8 weight per sample); racy updates are fine. */
    private volatile long serviceNanos;
    private final int threadCount;
    private final AtomicInteger waiting = new AtomicInteger();
    /** Work handed to the threads and not finished: waiting or running. */
    private final AtomicInteger admitted = new AtomicInteger();
    private final int maxAdmitted;
    private final long maxWaitNanos;
    private final Shedding.Reason full;
    private final Shedding.Reason late;

    /** The lane's bounds: its threads, how many pieces of work may wait for one, and for how long; validated once, loudly. */
    public record Bounds(int threads, int maxWaiting, Duration maxWait) {
        public Bounds {
            if (threads < 1 || maxWaiting < 0 || maxWait.isNegative()) {
                throw new IllegalArgumentException("a lane needs threads >= 1, waiting >= 0 and wait >= 0, got "
                        + threads + ", " + maxWaiting + ", " + maxWait);
            }
        }
    }

    /** What a refusal is counted as: the waiting room was full, or the work waited past its budget. */
    public record Refusals(Shedding.Reason full, Shedding.Reason late) {
        public static final Refusals HTTP = new Refusals(Shedding.Reason.QUEUE_FULL, Shedding.Reason.QUEUE_TIMEOUT);
        public static final Refusals WRITES = new Refusals(Shedding.Reason.WRITES_FULL, Shedding.Reason.WRITES_TIMEOUT);
    }

    public Lane(String name, Bounds bounds, Refusals refusals, ThreadFactory factory) {
        this.maxAdmitted = bounds.threads() + bounds.maxWaiting();
        this.threadCount = bounds.threads();
        this.maxWaitNanos = bounds.maxWait().toNanos();
        this.full = refusals.full();
        this.late = refusals.late();
        // The queue object is unbounded: the waiting room is bounded by the admitted count instead.
        this.threads = new ThreadPoolExecutor(threadCount, threadCount, 60, TimeUnit.SECONDS, queue, factory);
        this.reaper = new Thread(this::reapUntilClosed, name + "-reaper");
        reaper.setDaemon(true);
        reaper.start();
    }

    /** Work waiting for a thread, with what to do if its time runs out first. */
    private final class Queued implements Runnable {
        final Runnable work;
        final Consumer<Shedding.Reason> refuse;
        final long queuedAt = System.nanoTime();

        Queued(Runnable work, Consumer<Shedding.Reason> refuse) {
            this.work = work;
            this.refuse = refuse;
        }

        @Override
        public void run() {
            waiting.decrementAndGet();
            try {
                if (System.nanoTime() - queuedAt > maxWaitNanos) {
                    refuse.accept(late);
                } else {
                    long started = System.nanoTime();
                    work.run();
                    long took = System.nanoTime() - started;
                    serviceNanos += (took - serviceNanos) >> 3;
                }
            } finally {
                admitted.decrementAndGet();
            }
        }

        /** Called by the reaper once it took this out of the queue: the work never runs. */
        void expire() {
            waiting.decrementAndGet();
            try {
                refuse.accept(late);
            } finally {
                admitted.decrementAndGet();
            }
        }
    }

    private void reapUntilClosed() {
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(1), maxWaitNanos / 20);
        while (!closed) {
            LockSupport.parkNanos(tick);
            // FIFO: once the head is still within its budget, so is everything behind it.
            for (Runnable head = queue.peek(); head instanceof Queued q && System.nanoTime() - q.queuedAt > maxWaitNanos;
                 head = queue.peek()) {
                if (queue.remove(q)) {   // false: a thread took it meanwhile, and refuses it itself
                    try {
                        q.expire();
                    } catch (RuntimeException e) {
                        // a refusal that failed (client gone) must not stop the reaper
                    }
                }
            }
        }
    }

    /**
     * Runs {@code work} on one of the lane's threads, or calls {@code refuse} with the reason: at
     * once on this thread when the lane is full (or shut down), on the lane's thread when the work
     * waited past the budget. Exactly one of the two runs.
     */
    public void submit(Runnable work, Consumer<Shedding.Reason> refuse) {
        int inLane = admitted.incrementAndGet();
        long ahead = inLane - threadCount;
        if (inLane > maxAdmitted || (ahead > 0 && ahead * serviceNanos / threadCount > maxWaitNanos)) {
            admitted.decrementAndGet();
            refuse.accept(full);
            return;
        }
        waiting.incrementAndGet();
        try {
            threads.execute(new Queued(work, refuse));
        } catch (RejectedExecutionException e) {
            waiting.decrementAndGet();
            admitted.decrementAndGet();
            refuse.accept(full);   // shutting down
        }
    }

    /** Work waiting for a thread now (tests and /metrics read it). */
    public int waiting() {
        return waiting.get();
    }

    public void shutdown() {
        closed = true;
        threads.shutdown();
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return threads.awaitTermination(timeout, unit);
    }

    public void shutdownNow() {
        closed = true;
        threads.shutdownNow();
    }

    /** Threads named {@code prefix-N}; non-daemon, so in-flight work finishes on a graceful stop. */
    public static ThreadFactory named(String prefix) {
        AtomicInteger next = new AtomicInteger();
        return task -> new Thread(task, prefix + next.incrementAndGet());
    }
}
