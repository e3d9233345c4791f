package catalog.cache;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Protocol;
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
     * A plain GET first: Redis' cheapest command (about half a microsecond of its CPU against six
     * for the lease script), and on a hit the only round trip. Only on a miss does the lease script
     * follow, on the same connection and under the same deadline, so a lookup still waits at most
     * the timeout; the script reads the value again itself, so a fill that landed between the two
     * round trips is a hit, never a second lease.
     */
    @Override
    public CacheLookup get(long id) {
        String key = CacheKeys.value(id);
        RedisOutcome<Object> outcome = calls.call(redis -> {
            Object value = redis.executeCommand(new CommandArguments(Protocol.Command.GET).key(key));
            return value != null ? value : CacheScripts.READ_OR_LEASE.run(redis,
                    new String[] {key, CacheKeys.lease(id), CacheKeys.written(id)}, newLeaseToken(), leaseMillis);
        });
        if (!outcome.ok()) {
            metrics.unavailable.increment();
            LOG.log(Level.FINE, "cache lookup failed: " + outcome.kind(), outcome.error());
            return CacheLookup.unavailable();
        }
        byte[] cached = null;
        List<?> reply = null;
        if (outcome.value() instanceof byte[] value) {
            cached = value;
        } else {
            reply = (List<?>) outcome.value();
            if (Arrays.equals(HIT, (byte[]) reply.get(0))) {
                cached = (byte[]) reply.get(1);
            }
        }
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

    @Override
    public void fill(long id, CacheLookup miss, String json) {
        if (miss.lease() == null) {
            return;
        }
        String[] keys = {CacheKeys.value(id), CacheKeys.lease(id)};
        calls.submit(() -> {
            RedisOutcome<Object> stored = calls.call(redis ->
                    CacheScripts.FILL_IF_LEASED.run(redis, keys, miss.lease(), json, ttlSeconds));
            if (!stored.ok()) {
                metrics.fillFailures.increment();
                LOG.log(Level.FINE, "cache fill failed: " + stored.kind(), stored.error());
                return;
            }
            (Long.valueOf(1).equals(stored.value()) ? metrics.fills : metrics.fillsDropped).increment();
        });
    }

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
