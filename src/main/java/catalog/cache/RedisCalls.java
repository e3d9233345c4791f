package catalog.cache;

import catalog.deadline.DeadlineTimer;
import catalog.ops.Config;
import java.io.Closeable;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Every Redis call, bounded by {@code timeoutMs}. A call runs on the caller's thread, on that
 * thread's own connection, while the {@link DeadlineTimer} watches it: past the deadline the timer
 * closes the connection's socket, the blocked call fails at once and is reported as TIMEOUT; the
 * request goes on without Redis, and the thread opens a new connection on its next call. Connects
 * are watched the same way ({@link WatchedSockets}). Jedis' own socket timeouts are set to twice
 * the deadline: a backstop, never the bound.
 *
 * <p>A connection per thread (request workers, fill threads, health checks: a few dozen) instead of
 * a pool: a thread makes one call at a time, and a pool's borrow and return (a lock, a deque) cost
 * more than the rest of a cache hit's Java code. When one connection fails, every connection opened
 * before that failure is suspect (Redis restarted, or a proxy dropped them all): each thread opens
 * a new one on its next call, so the breaker's probe after an outage does not land on a dead one.
 *
 * <p>Fills (after a miss the client does not wait for) run on a small executor with a bounded
 * queue; when it is full a fill is REJECTED at once and simply not done.
 */
public final class RedisCalls implements AutoCloseable {
    /** One Redis exchange on a borrowed connection. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection redis);
    }

    private final DeadlineTimer deadlines;
    private final WatchedSockets sockets;
    private final JedisClientConfig client;
    private final ThreadLocal<ThreadConnection> connections = new ThreadLocal<>();
    private final Set<ThreadConnection> open = ConcurrentHashMap.newKeySet();
    /** Bumped on every connection failure; a connection opened before the latest bump is replaced. */
    private final AtomicLong failures = new AtomicLong();
    private final ThreadPoolExecutor fills;
    private final long timeoutMs;
    private final long timeoutNanos;
    private final CacheMetrics metrics;
    private final Supplier<InvalidationFeed.Subscription> tracking;

    /** One thread's connection, and how the deadline timer aborts it (made once, not per call). */
    private static final class ThreadConnection {
        final Connection connection;
        final Closeable abort;
        final long openedAfterFailures;
        /** The invalidation feed this connection's reads are tracked for (owner thread only). */
        InvalidationFeed.Subscription trackedFor;

        ThreadConnection(Connection connection, long openedAfterFailures) {
            this.connection = connection;
            this.abort = connection::forceDisconnect;
            this.openedAfterFailures = openedAfterFailures;
        }
    }

    /** Fills wait in a queue of {@code fillQueue} for one of the settings' fill threads. */
    public RedisCalls(Config.Redis settings, int fillQueue, CacheMetrics metrics) {
        this(settings, fillQueue, metrics, () -> null);
    }

    /**
     * With {@code tracking}, every connection has Redis track the keys it reads for the live
     * subscription of an {@link InvalidationFeed} (none while it supplies null), turned on before
     * the connection's first call under each new subscription, within that call's deadline.
     */
    public RedisCalls(Config.Redis settings, int fillQueue, CacheMetrics metrics,
                      Supplier<InvalidationFeed.Subscription> tracking) {
        URI url = settings.url();
        int timeoutMs = settings.timeoutMs();
        this.tracking = tracking;
        this.timeoutMs = timeoutMs;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.metrics = metrics;
        this.deadlines = DeadlineTimer.forTimeout(timeoutMs, "redis-deadlines");
        int backstopMs = (int) Math.min(Integer.MAX_VALUE, 2L * timeoutMs);
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(backstopMs)
                .socketTimeoutMillis(backstopMs)
                .database(JedisURIHelper.getDBIndex(url))
                .ssl(JedisURIHelper.isRedisSSLScheme(url))
                .clientName("products-api");
        RedisLogin login = RedisLogin.of(url);
        if (login.password() != null) {
            client.user(login.user()).password(login.password());
        }
        this.client = client.build();
        this.sockets = new WatchedSockets(JedisURIHelper.getHostAndPort(url),
                JedisURIHelper.isRedisSSLScheme(url), backstopMs, deadlines);
        int fillThreads = settings.fillThreads();
        this.fills = new ThreadPoolExecutor(fillThreads, fillThreads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(fillQueue), new FillThreads(), new ThreadPoolExecutor.AbortPolicy());
    }

    /** Calls Redis on this thread and returns within the timeout (plus one deadline timer tick). Never throws. */
    public <T> RedisOutcome<T> call(Work<T> work) {
        DeadlineTimer.Watch watch = deadlines.arm(timeoutNanos);
        ThreadConnection pinned = null;
        T value = null;
        RuntimeException failure = null;
        try {
            pinned = forThisThread();
            watch.guard(pinned.abort);
            track(pinned);
            value = work.apply(pinned.connection);
        } catch (RuntimeException e) {
            failure = e;
        }
        boolean aborted = watch.disarm();
        if (pinned != null && (aborted || pinned.connection.isBroken())) {
            failures.incrementAndGet();
            discard(pinned);
        } else if (pinned == null) {
            failures.incrementAndGet();   // could not even connect
        }
        if (aborted || (failure != null && timedOut(failure))) {
            return failed(RedisOutcome.Kind.TIMEOUT, failure);
        }
        if (failure != null) {
            return failed(RedisOutcome.Kind.ERROR, failure);
        }
        return RedisOutcome.of(value);
    }

    private void track(ThreadConnection pinned) {
        InvalidationFeed.Subscription subscription = tracking.get();
        if (subscription != null && pinned.trackedFor != subscription) {
            pinned.connection.executeCommand(new CommandArguments(Protocol.Command.CLIENT)
                    .add("TRACKING").add("on").add("REDIRECT").add(subscription.clientId()));
            pinned.trackedFor = subscription;
        }
    }

    /** This thread's connection, opened (under the caller's watch) on first use or after a failure. */
    private ThreadConnection forThisThread() {
        ThreadConnection pinned = connections.get();
        long failed = failures.get();
        if (pinned != null && pinned.openedAfterFailures != failed) {
            discard(pinned);
            pinned = null;
        }
        if (pinned == null) {
            pinned = new ThreadConnection(new Connection(sockets, client), failed);
            connections.set(pinned);
            open.add(pinned);
        }
        return pinned;
    }

    private void discard(ThreadConnection pinned) {
        connections.remove();
        open.remove(pinned);
        try {
            pinned.connection.close();   // not pooled: close disconnects
        } catch (RuntimeException e) {
            // its socket may already be closed by the deadline timer; it is gone either way
        }
    }

    /** Hands a call to the fill executor without waiting for it; false if rejected (queue full). */
    public boolean submit(Runnable call) {
        try {
            fills.execute(call);
            return true;
        } catch (RejectedExecutionException e) {
            metrics.count(RedisOutcome.Kind.REJECTED);
            return false;
        }
    }

    public long timeoutMs() {
        return timeoutMs;
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private <T> RedisOutcome<T> failed(RedisOutcome.Kind kind, Throwable error) {
        metrics.count(kind);
        return RedisOutcome.failed(kind, error);
    }

    @Override
    public void close() {
        fills.shutdownNow();
        for (ThreadConnection pinned : open) {
            try {
                pinned.connection.close();
            } catch (RuntimeException e) {
                // closing on shutdown: nothing left to do with a failure
            }
        }
        open.clear();
        deadlines.close();
    }

    private static final class FillThreads implements ThreadFactory {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "redis-fill-" + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
