package catalog.cache;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Cache-aside on Redis: {@code product:{id}} holds the product's JSON for CACHE_TTL_SECONDS, filled
 * only under the lease a miss took ({@code product:{id}:lease}, see {@link CacheScripts}). Every
 * call goes through {@link RedisCalls}, which bounds it by the timeout.
 */
public final class RedisProductCache implements ProductCache {
    private static final Logger LOG = Logger.getLogger(RedisProductCache.class.getName());
    private static final int SCAN_BATCH = 500;
    private static final byte[] HIT = "hit".getBytes(StandardCharsets.US_ASCII);
    /** Fills waiting for a fill thread; beyond this a fill is dropped (the entry fills on a later miss). */
    private static final int MAX_WAITING_FILLS = 1024;
    /** Fills stored in one round trip at most, so one exchange stays well within the Redis timeout. */
    private static final int FILL_BATCH = 64;
    /**
     * How long a fill thread waits for more fills before storing a batch: short beside a lease (the
     * entry is there a millisecond later) and beside a client's next read of the product, long enough
     * that under load each wake-up stores several fills.
     */
    private static final long FILL_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final byte[] LEASE = "lease".getBytes(StandardCharsets.US_ASCII);

    private final RedisCalls calls;
    private final CacheMetrics metrics;
    private final CommandObjects commands = new CommandObjects();
    private final String ttlSeconds;
    private final String leaseMillis;
    private final String markerMillis;
    /**
     * Lease tokens: this instance's random prefix and a counter. Unique across instances and
     * restarts (64 random bits), and far cheaper than a random UUID per lookup.
     */
    private final String leasePrefix;
    private final AtomicLong leases = new AtomicLong();
    private final Queue<WaitingFill> waitingFills = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingFillCount = new AtomicInteger();
    private final AtomicBoolean fillsScheduled = new AtomicBoolean();

    /**
     * How long each thing this cache writes to Redis lives. {@code entry}: a cached product.
     * {@code lease} bounds how long a reader's lease blocks other readers from filling: longer than
     * a normal database read, short enough that a reader that died does not keep the entry empty.
     * {@code writeMarker}: how long a write's WAL position is kept for readers on other instances.
     */
    public record Lifetimes(Duration entry, Duration lease, Duration writeMarker) {}

    public RedisProductCache(RedisCalls calls, CacheMetrics metrics, Lifetimes lifetimes) {
        this.calls = calls;
        this.metrics = metrics;
        this.ttlSeconds = Long.toString(lifetimes.entry().toSeconds());
        this.leaseMillis = Long.toString(lifetimes.lease().toMillis());
        this.markerMillis = Long.toString(lifetimes.writeMarker().toMillis());
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        this.leasePrefix = HexFormat.of().formatHex(random) + "-";
    }

    /**
     * One round trip: the lease script reads the value and, only when there is none, takes the lease.
     * A miss then goes to the database after a single exchange with Redis (it took two: a GET, then
     * the script); a hit from Redis costs Redis the script's few microseconds of CPU instead of a
     * plain GET's half microsecond, which the near copies keep rare ({@link NearProductCache}: a hit
     * reaches Redis mostly on an instance's first read of a product since it last changed).
     */
    @Override
    public CacheLookup get(long id) {
        String key = CacheKeys.value(id);
        RedisOutcome<Object> outcome = calls.call(redis -> CacheScripts.READ_OR_LEASE.run(redis,
                new String[] {key, CacheKeys.lease(id), CacheKeys.written(id)}, newLeaseToken(), leaseMillis));
        if (!outcome.ok()) {
            metrics.unavailable.increment();
            LOG.log(Level.FINE, "cache lookup failed: " + outcome.kind(), outcome.error());
            return CacheLookup.unavailable();
        }
        List<?> reply = (List<?>) outcome.value();
        byte[] cached = Arrays.equals(HIT, (byte[]) reply.get(0)) ? (byte[]) reply.get(1) : null;
        if (cached != null) {
            String json = new String(cached, StandardCharsets.UTF_8);
            if (looksLikeProduct(json)) {
                metrics.hits.increment();
                return CacheLookup.hit(json);
            }
            // The entry is spliced into the response as is; anything else under our key is not served.
            metrics.errors.increment();
            metrics.misses.increment();
            return CacheLookup.miss(null, null);
        }
        metrics.misses.increment();
        String writtenAt = reply.size() > 2 ? text(reply.get(2)) : null;
        return CacheLookup.miss(Arrays.equals(LEASE, (byte[]) reply.get(0)) ? text(reply.get(1)) : null,
                writtenAt == null || writtenAt.isEmpty() ? null : writtenAt);
    }

    private String newLeaseToken() {
        return leasePrefix + Long.toString(leases.incrementAndGet(), 36);
    }

    private static String text(Object raw) {
        return raw instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : null;
    }

    private static boolean looksLikeProduct(String json) {
        return json.startsWith("{\"id\":") && json.endsWith("}");
    }

    /**
     * Queues the fill; a fill thread stores every fill queued by then in one pipelined round trip
     * ({@link #storeWaitingFills}). Under load a handful of misses share one wake-up of a fill thread
     * and one exchange with Redis instead of paying one each (part of what made a miss with Redis
     * dearer than a miss with Redis down). Past {@link #MAX_WAITING_FILLS} a
     * fill is dropped at once and counted as rejected, as the fill executor's full queue does.
     */
    @Override
    public void fill(long id, CacheLookup miss, String json) {
        if (miss.lease() == null) {
            return;
        }
        if (waitingFillCount.incrementAndGet() > MAX_WAITING_FILLS) {
            waitingFillCount.decrementAndGet();
            metrics.count(RedisOutcome.Kind.REJECTED);
            return;
        }
        waitingFills.add(new WaitingFill(id, miss.lease(), json));
        scheduleFills();
    }

    /** At most one run of {@link #storeWaitingFills} is scheduled and not yet started. */
    private void scheduleFills() {
        if (fillsScheduled.compareAndSet(false, true) && !calls.submit(this::storeWaitingFills)) {
            fillsScheduled.set(false);   // rejected (counted by RedisCalls): the next fill tries again
        }
    }

    private void storeWaitingFills() {
        // Misses that come meanwhile join this batch instead of waking a fill thread each.
        LockSupport.parkNanos(FILL_LINGER_NANOS);
        fillsScheduled.set(false);   // before taking the batch: a fill queued after this schedules its own run
        List<WaitingFill> batch = new ArrayList<>();
        for (WaitingFill fill; batch.size() < FILL_BATCH && (fill = waitingFills.poll()) != null; ) {
            batch.add(fill);
        }
        waitingFillCount.addAndGet(-batch.size());
        if (batch.isEmpty()) {
            return;
        }
        List<String[]> keys = new ArrayList<>(batch.size());
        List<String[]> args = new ArrayList<>(batch.size());
        for (WaitingFill fill : batch) {
            keys.add(new String[] {CacheKeys.value(fill.id()), CacheKeys.lease(fill.id())});
            args.add(new String[] {fill.lease(), fill.json(), ttlSeconds});
        }
        RedisOutcome<List<Object>> stored = calls.call(redis -> CacheScripts.FILL_IF_LEASED.runAll(redis, keys, args));
        if (!stored.ok()) {
            metrics.fillFailures.add(batch.size());
            LOG.log(Level.FINE, "cache fills failed: " + stored.kind(), stored.error());
        } else {
            for (Object reply : stored.value()) {
                if (reply instanceof Long outcome) {
                    (outcome == 1 ? metrics.fills : metrics.fillsDropped).increment();
                } else {
                    metrics.fillFailures.increment();
                    LOG.log(Level.FINE, "cache fill failed: " + reply);
                }
            }
        }
        if (!waitingFills.isEmpty()) {
            scheduleFills();
        }
    }

    private record WaitingFill(long id, String lease, String json) {}

    @Override
    public boolean invalidate(long id, String writtenAt) {
        String[] keys = {CacheKeys.value(id), CacheKeys.lease(id), CacheKeys.written(id)};
        RedisOutcome<Object> outcome = calls.call(redis -> CacheScripts.INVALIDATE.run(redis, keys,
                writtenAt == null ? "" : writtenAt, markerMillis));
        if (outcome.ok()) {
            metrics.invalidations.increment();
            return true;
        }
        metrics.invalidationFailures.increment();
        LOG.log(Level.WARNING, "cache invalidation of product " + id + " failed: " + outcome.kind()
                + "; it is replayed before the cache is read again");
        return false;
    }

    @Override
    public boolean invalidate(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return true;
        }
        List<String> keys = new ArrayList<>(ids.size() * 2);
        for (long id : ids) {
            keys.add(CacheKeys.value(id));
            keys.add(CacheKeys.lease(id));
        }
        return calls.call(redis -> redis.executeCommand(commands.del(keys.toArray(String[]::new)))).ok();
    }

    /** SCAN + UNLINK of {@code product:*}: values and leases, nothing else in the database. */
    @Override
    public boolean invalidateAll() {
        return calls.call(redis -> {
            ScanParams match = new ScanParams().match(CacheKeys.ALL_PRODUCTS).count(SCAN_BATCH);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.executeCommand(commands.scan(cursor, match));
                if (!page.getResult().isEmpty()) {
                    redis.executeCommand(commands.unlink(page.getResult().toArray(String[]::new)));
                }
                cursor = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
            return true;
        }).ok();
    }

    @Override
    public boolean ping() {
        return calls.call(redis -> redis.executeCommand(commands.ping())).ok();
    }

    @Override
    public void close() {
        calls.close();
    }
}
