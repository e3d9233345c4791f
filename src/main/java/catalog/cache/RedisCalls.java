package catalog.cache;

import catalog.cache.CacheUnavailable.Reason;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs Redis calls on a bounded executor so a request waits at most {@code timeout} for Redis,
 * whatever the socket does (a paused server, a black-holed route). A full executor means Redis is
 * already backed up: the call is refused at once rather than queued behind hung ones.
 */
public final class RedisCalls implements AutoCloseable {
    private final Duration timeout;
    private final ThreadPoolExecutor executor;
    private final Map<Reason, AtomicLong> failures = new EnumMap<>(Reason.class);

    public RedisCalls(Duration timeout, int threads, int queue) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("REDIS_TIMEOUT_MS must be > 0, got " + timeout.toMillis());
        }
        this.timeout = timeout;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, "redis-call-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        for (Reason reason : Reason.values()) {
            failures.put(reason, new AtomicLong());
        }
    }

    /** The call's result within the timeout, or {@link CacheUnavailable} saying why not. */
    public <T> T call(Callable<T> call) throws CacheUnavailable {
        Future<T> future;
        try {
            future = executor.submit(call);
        } catch (RejectedExecutionException e) {
            throw counted(Reason.SATURATED, "Redis executor full", e);
        }
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw counted(Reason.TIMEOUT, "Redis did not answer within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw counted(Reason.ERROR, "Redis call failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw counted(Reason.ERROR, "interrupted while waiting for Redis", e);
        }
    }

    /**
     * Runs a call nobody waits for (the cache fill). It still holds an executor thread, bounded by
     * the client's socket timeout; refused when the executor is full.
     */
    public void callLater(Runnable call) throws CacheUnavailable {
        try {
            executor.execute(call);
        } catch (RejectedExecutionException e) {
            throw counted(Reason.SATURATED, "Redis executor full", e);
        }
    }

    public long failures(Reason reason) {
        return failures.get(reason).get();
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private CacheUnavailable counted(Reason reason, String message, Throwable cause) {
        failures.get(reason).incrementAndGet();
        return new CacheUnavailable(reason, message, cause);
    }
}
