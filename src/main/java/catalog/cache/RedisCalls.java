package catalog.cache;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs every Redis call on a bounded executor and waits for it at most {@code timeoutMs}. A call
 * that overruns is cancelled and reported as TIMEOUT; the request goes on without Redis. When all
 * threads are stuck and the queue is full the call is REJECTED at once: a saturated Redis path
 * costs nothing extra. Jedis' own socket timeout frees a stuck thread eventually.
 */
public final class RedisCalls implements AutoCloseable {
    private final ThreadPoolExecutor executor;
    private final long timeoutMs;
    private final CacheMetrics metrics;

    public RedisCalls(int threads, int queueCapacity, long timeoutMs, CacheMetrics metrics) {
        this.timeoutMs = timeoutMs;
        this.metrics = metrics;
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), new RedisThreads(), new ThreadPoolExecutor.AbortPolicy());
    }

    /** Calls Redis and waits for the answer, at most the timeout. Never throws. */
    public <T> RedisOutcome<T> call(Callable<T> call) {
        Future<T> future;
        try {
            future = executor.submit(call);
        } catch (RejectedExecutionException e) {
            return failed(RedisOutcome.Kind.REJECTED, e);
        }
        try {
            return RedisOutcome.of(future.get(timeoutMs, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            future.cancel(true);
            return failed(RedisOutcome.Kind.TIMEOUT, e);
        } catch (ExecutionException e) {
            return failed(RedisOutcome.Kind.ERROR, e.getCause());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return failed(RedisOutcome.Kind.ERROR, e);
        }
    }

    /** Hands a call to the executor without waiting (the fill after a miss); false if rejected. */
    public boolean submit(Runnable call) {
        try {
            executor.execute(call);
            return true;
        } catch (RejectedExecutionException e) {
            metrics.count(RedisOutcome.Kind.REJECTED);
            return false;
        }
    }

    public long timeoutMs() {
        return timeoutMs;
    }

    private <T> RedisOutcome<T> failed(RedisOutcome.Kind kind, Throwable error) {
        metrics.count(kind);
        return RedisOutcome.failed(kind, error);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static final class RedisThreads implements ThreadFactory {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "redis-call-" + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
