package catalog.cache;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.JedisURIHelper;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/**
 * Cache-aside on Redis: {@code product:{id}} holds the product's JSON for CACHE_TTL_SECONDS, filled
 * only under the lease a miss took ({@code product:{id}:lease}, see {@link CacheScripts}). Every
 * call goes through {@link RedisCalls} (bounded executor + timeout); the Jedis connect timeout,
 * socket timeout and pool borrow wait are bounded by the same timeout, so no thread waits forever.
 */
public final class RedisProductCache implements ProductCache {
    private static final Logger LOG = Logger.getLogger(RedisProductCache.class.getName());
    private static final int SCAN_BATCH = 500;

    private final JedisPooled redis;
    private final RedisCalls calls;
    private final CacheMetrics metrics;
    private final String ttlSeconds;
    private final String leaseMillis;
    private final String markerMillis;

    /**
     * {@code leaseTime} bounds how long a reader's lease blocks other readers from filling: longer
     * than a normal database read, short enough that a reader that died does not keep the entry empty.
     * {@code markerTime}: how long a write's WAL position is kept for readers on other instances.
     */
    public RedisProductCache(JedisPooled redis, RedisCalls calls, CacheMetrics metrics, int ttlSeconds,
            Duration leaseTime, Duration markerTime) {
        this.redis = redis;
        this.calls = calls;
        this.metrics = metrics;
        this.ttlSeconds = Integer.toString(ttlSeconds);
        this.leaseMillis = Long.toString(leaseTime.toMillis());
        this.markerMillis = Long.toString(markerTime.toMillis());
    }

    /** A pooled client whose every wait (connect, read, borrow) is bounded by {@code timeoutMs}. */
    public static JedisPooled connect(URI url, int timeoutMs, int poolSize) {
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMs)
                .socketTimeoutMillis(timeoutMs)
                .database(JedisURIHelper.getDBIndex(url))
                .ssl(JedisURIHelper.isRedisSSLScheme(url))
                .clientName("products-api");
        String password = JedisURIHelper.getPassword(url);
        if (password != null) {
            client.user(JedisURIHelper.getUser(url)).password(password);
        }
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(java.time.Duration.ofMillis(timeoutMs)); // default -1 waits forever
        pool.setJmxEnabled(false);
        return new JedisPooled(pool, JedisURIHelper.getHostAndPort(url), client.build());
    }

    @Override
    public CacheLookup get(long id) {
        String token = UUID.randomUUID().toString();
        RedisOutcome<Object> outcome = calls.call(() -> redis.eval(CacheScripts.READ_OR_LEASE,
                List.of(CacheKeys.value(id), CacheKeys.lease(id), CacheKeys.written(id)), List.of(token, leaseMillis)));
        if (!outcome.ok()) {
            metrics.unavailable.increment();
            LOG.log(Level.FINE, "cache lookup failed: " + outcome.kind(), outcome.error());
            return CacheLookup.unavailable();
        }
        List<?> reply = (List<?>) outcome.value();
        if ("hit".equals(reply.get(0))) {
            String json = (String) reply.get(1);
            if (looksLikeProduct(json)) {
                metrics.hits.increment();
                return CacheLookup.hit(json);
            }
            // The entry is spliced into the response as is; anything else under our key is not served.
            metrics.errors.increment();
        }
        metrics.misses.increment();
        String writtenAt = reply.size() > 2 && !"".equals(reply.get(2)) ? (String) reply.get(2) : null;
        return CacheLookup.miss("lease".equals(reply.get(0)) ? token : null, writtenAt);
    }

    private static boolean looksLikeProduct(String json) {
        return json.startsWith("{\"id\":") && json.endsWith("}");
    }

    @Override
    public void fill(long id, CacheLookup miss, String json) {
        if (miss.lease() == null) {
            return;
        }
        calls.submit(() -> {
            try {
                Object stored = redis.eval(CacheScripts.FILL_IF_LEASED,
                        List.of(CacheKeys.value(id), CacheKeys.lease(id)), List.of(miss.lease(), json, ttlSeconds));
                (Long.valueOf(1).equals(stored) ? metrics.fills : metrics.fillsDropped).increment();
            } catch (RuntimeException e) {
                metrics.fillFailures.increment();
                metrics.count(RedisOutcome.Kind.ERROR);
                LOG.log(Level.FINE, "cache fill failed", e);
            }
        });
    }

    @Override
    public boolean invalidate(long id, String writtenAt) {
        RedisOutcome<Object> outcome = calls.call(() -> redis.eval(CacheScripts.INVALIDATE,
                List.of(CacheKeys.value(id), CacheKeys.lease(id), CacheKeys.written(id)),
                List.of(writtenAt == null ? "" : writtenAt, markerMillis)));
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
        return calls.call(() -> redis.del(keys.toArray(String[]::new))).ok();
    }

    /** SCAN + UNLINK of {@code product:*}: values and leases, nothing else in the database. */
    @Override
    public boolean invalidateAll() {
        return calls.call(() -> {
            ScanParams match = new ScanParams().match(CacheKeys.ALL_PRODUCTS).count(SCAN_BATCH);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor, match);
                if (!page.getResult().isEmpty()) {
                    redis.unlink(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
            return true;
        }).ok();
    }

    @Override
    public boolean ping() {
        return calls.call(redis::ping).ok();
    }

    @Override
    public void close() {
        calls.close();
        redis.close();
    }
}
