package catalog.cache;

import java.net.URI;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisURIHelper;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/**
 * Cache-aside on Redis: {@code product:{id}} holds the product's JSON for CACHE_TTL_SECONDS. Every
 * call goes through {@link RedisCalls} (bounded executor + timeout); the Jedis connect timeout,
 * socket timeout and pool borrow wait are bounded by the same timeout, so no thread waits forever.
 */
public final class RedisProductCache implements ProductCache {
    private static final Logger LOG = Logger.getLogger(RedisProductCache.class.getName());

    private final JedisPooled redis;
    private final RedisCalls calls;
    private final CacheMetrics metrics;
    private final SetParams ttl;

    public RedisProductCache(JedisPooled redis, RedisCalls calls, CacheMetrics metrics, int ttlSeconds) {
        this.redis = redis;
        this.calls = calls;
        this.metrics = metrics;
        this.ttl = SetParams.setParams().ex(ttlSeconds);
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
        RedisOutcome<String> outcome = calls.call(() -> redis.get(ProductCache.key(id)));
        if (!outcome.ok()) {
            metrics.unavailable.increment();
            LOG.log(Level.FINE, "cache lookup failed: " + outcome.kind(), outcome.error());
            return CacheLookup.unavailable();
        }
        if (outcome.value() == null) {
            metrics.misses.increment();
            return CacheLookup.miss();
        }
        if (!looksLikeProduct(outcome.value())) {
            // The entry is spliced into the response as is; anything else under our key is not served.
            metrics.errors.increment();
            metrics.misses.increment();
            return CacheLookup.miss();
        }
        metrics.hits.increment();
        return CacheLookup.hit(outcome.value());
    }

    private static boolean looksLikeProduct(String json) {
        return json.startsWith("{\"id\":") && json.endsWith("}");
    }

    @Override
    public void fill(long id, String json) {
        calls.submit(() -> {
            try {
                redis.set(ProductCache.key(id), json, ttl);
                metrics.fills.increment();
            } catch (RuntimeException e) {
                metrics.fillFailures.increment();
                metrics.count(RedisOutcome.Kind.ERROR);
                LOG.log(Level.FINE, "cache fill failed", e);
            }
        });
    }

    @Override
    public boolean invalidate(long id) {
        RedisOutcome<Long> outcome = calls.call(() -> redis.del(ProductCache.key(id)));
        if (outcome.ok()) {
            metrics.invalidations.increment();
            return true;
        }
        metrics.invalidationFailures.increment();
        LOG.log(Level.WARNING, "cache invalidation of product " + id + " failed: " + outcome.kind()
                + "; the entry expires with its TTL");
        return false;
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
