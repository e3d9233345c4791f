package catalog.http;

import catalog.admission.Bulkhead;
import catalog.admission.Shedding;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor the JDK server hands each request to: the HTTP compartment of the admission rule
 * ({@link Bulkhead}), with the worker threads as its permits. Past saturation the JDK's own queue
 * grows without limit and every request waits longer; here:
 *
 * <ul>
 *   <li>at most {@code maxWaiting} requests wait for a worker; one more is answered 503 at once
 *       (reason {@code queue_full}) by a separate, single shedding thread, so refusing costs the
 *       workers nothing;</li>
 *   <li>a request that waited longer than {@code maxWait} (a stall: every worker blocked) is
 *       answered 503 when a worker takes it (reason {@code queue_timeout}) instead of being run
 *       after its client gave up.</li>
 * </ul>
 *
 * The verdict travels to the handler chain on the worker thread itself ({@link #verdict()}).
 */
final class WorkQueue implements Executor {
    /** A refused request waits here for the shedding thread; past this, its connection is closed. */
    private static final int SHED_BACKLOG = 4096;

    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor shedder;
    private final AtomicInteger waiting = new AtomicInteger();
    /** Requests handed to the workers and not finished: waiting or running. */
    private final AtomicInteger admitted = new AtomicInteger();
    private final int maxAdmitted;
    private final long maxWaitNanos;
    private final Shedding shedding;

    WorkQueue(int threads, int maxWaiting, Bulkhead.Settings budget, Shedding shedding) {
        this.maxAdmitted = threads + maxWaiting;
        this.maxWaitNanos = budget.maxWait().toNanos();
        this.shedding = shedding;
        // Unbounded queue object, bounded by the count of waiting requests (checked in execute).
        this.workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new Workers("http-worker-"));
        this.shedder = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(SHED_BACKLOG), new Workers("http-shedder-"));
    }

    @Override
    public void execute(Runnable exchange) {
        if (admitted.incrementAndGet() > maxAdmitted) {
            admitted.decrementAndGet();
            shed(exchange, Shedding.Reason.QUEUE_FULL);
            return;
        }
        waiting.incrementAndGet();
        long queuedAt = System.nanoTime();
        try {
            workers.execute(() -> {
                waiting.decrementAndGet();
                boolean late = System.nanoTime() - queuedAt > maxWaitNanos;
                try {
                    runWith(exchange, late ? Shedding.Reason.QUEUE_TIMEOUT : null);
                } finally {
                    admitted.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            waiting.decrementAndGet();
            admitted.decrementAndGet();
            throw e;   // shutting down: the JDK server closes the connection
        }
    }

    /** Throws RejectedExecutionException when even the shedding backlog is full: the JDK closes the connection. */
    private void shed(Runnable exchange, Shedding.Reason reason) {
        shedder.execute(() -> runWith(exchange, reason));
    }

    private static void runWith(Runnable exchange, Shedding.Reason verdict) {
        Worker worker = (Worker) Thread.currentThread();
        worker.verdict = verdict;
        try {
            exchange.run();
        } finally {
            worker.verdict = null;
        }
    }

    /** Why the request on this thread must be answered 503 without being run; null to run it. */
    static Shedding.Reason verdict() {
        return Thread.currentThread() instanceof Worker worker ? worker.verdict : null;
    }

    /** Counts a verdict carried out (the handler chain answered the 503). */
    void shedDone(Shedding.Reason reason) {
        shedding.count(reason);
    }

    int waiting() {
        return waiting.get();
    }

    void shutdown() {
        workers.shutdown();
        shedder.shutdown();
    }

    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return workers.awaitTermination(timeout, unit) && shedder.awaitTermination(timeout, unit);
    }

    void shutdownNow() {
        workers.shutdownNow();
        shedder.shutdownNow();
    }

    /** A worker thread carries the verdict on the request it is running: no lookup, no map. */
    private static final class Worker extends Thread {
        private Shedding.Reason verdict;

        Worker(Runnable task, String name) {
            super(task, name);
        }
    }

    private static final class Workers implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger next = new AtomicInteger();
        private final String prefix;

        Workers(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable task) {
            return new Worker(task, prefix + next.incrementAndGet());
        }
    }
}
