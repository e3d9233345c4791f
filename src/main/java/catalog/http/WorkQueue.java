package catalog.http;

import catalog.admission.Lane;
import catalog.admission.Shedding;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The executor the JDK server hands each request to: the HTTP {@link Lane} of the admission rule.
 * Past saturation the JDK's own queue grows without limit and every request waits longer; here at
 * most {@code maxWaiting} requests wait for a worker, one more is answered 503 at once (reason
 * {@code queue_full}) by separate shedding threads, so refusing costs the workers nothing;
 * and a request still waiting when {@code maxWait} is up (every worker blocked) is answered 503
 * (reason {@code queue_timeout}) instead of being run after its client gave up.
 *
 * <p>The exchange is not parsed yet when the JDK hands it over, so the verdict travels with the
 * thread that runs it: the handler chain reads {@link #verdict()} and answers 503 instead of routing.
 */
final class WorkQueue implements Executor {
    /** A refused request waits here for the shedding thread; past this, its connection is closed. */
    private static final int SHED_BACKLOG = 4096;
    /**
     * Shedding threads. A refusal waits at most 100 ms for a body (see {@link BodyDrain}), but the JDK reads
     * a request's headers on the thread that runs it, and a client may send them slowly (up to the
     * request time bound): with one thread, one such client would hold every 503 behind it.
     */
    private static final int SHEDDERS = 8;

    private final Lane workers;
    private final ThreadPoolExecutor shedder;
    private final ThreadLocal<Shedding.Reason> verdict = new ThreadLocal<>();

    WorkQueue(Lane.Bounds bounds) {
        this.workers = new Lane("http", bounds, Lane.Refusals.HTTP, Lane.named("http-worker-"));
        this.shedder = new ThreadPoolExecutor(SHEDDERS, SHEDDERS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(SHED_BACKLOG), Lane.named("http-shedder-"));
        shedder.allowCoreThreadTimeOut(true);   // no threads kept while nothing is shed
    }

    @Override
    public void execute(Runnable exchange) {
        // A refusal is answered by the shedding thread: parsing the request and writing the 503 must
        // hold neither the JDK's dispatcher nor the lane's reaper. Throws RejectedExecutionException
        // when even the shedding backlog is full: the JDK then closes the connection.
        workers.submit(() -> runWith(exchange, null), reason -> shedder.execute(() -> runWith(exchange, reason)));
    }

    private void runWith(Runnable exchange, Shedding.Reason reason) {
        verdict.set(reason);
        try {
            exchange.run();
        } finally {
            verdict.remove();
        }
    }

    /** Why the request on this thread must be answered 503 without being run; null to run it. */
    Shedding.Reason verdict() {
        return verdict.get();
    }

    int waiting() {
        return workers.waiting();
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
}
