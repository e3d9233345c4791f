package catalog.ops;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * Everything the API reads from its environment, validated once at start-up. Each setting has a
 * default that works against the compose stack's published ports, except the database password,
 * which must be given (it may be empty for trust authentication): no secret lives in the code.
 */
public record Config(
        int port,
        String dbWriteUrl,
        String dbReadUrl,
        String dbUser,
        String dbPassword,
        int dbWritePoolSize,
        int dbReadPoolSize,
        URI redisUrl,
        int cacheTtlSeconds,
        int redisTimeoutMs,
        int redisThreads,
        int httpThreads,
        int shutdownGraceSeconds,
        int breakerFailures,
        int breakerCoolDownMs,
        int pendingInvalidationsMax,
        int idempotencyKeyTtlSeconds,
        int nearCacheEntries,
        Admission admission) {

    /**
     * The admission rule's settings (see {@code catalog.admission.Bulkhead}): how many requests may
     * wait for an HTTP worker and for how long; the write lane's threads, waiting room and budget;
     * how many database reads may run at once and how long one waits for a slot; a write's deadline.
     */
    public record Admission(int queueMax, int queueTimeoutMs, int dbWriteConcurrency, int dbWriteQueueMax,
                            int dbWriteQueueTimeoutMs, int dbReadConcurrency, int dbReadWaitMs, int dbWriteTimeoutMs) {}

    /** Reads the process environment; throws {@link ConfigException} naming the bad variable. */
    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    public static Config from(Map<String, String> env) {
        Reader r = new Reader(env);
        String writeUrl = r.jdbcUrl("DB_WRITE_URL", "jdbc:postgresql://localhost:5000/products");
        int httpThreads = r.integer("HTTP_THREADS", 16, 1, 10_000);
        return new Config(
                r.integer("PORT", 3000, 0, 65_535),
                writeUrl,
                r.jdbcUrl("DB_READ_URL", writeUrl),
                r.text("DB_USER", "products"),
                r.required("DB_PASSWORD", "the password of DB_USER (may be empty for trust authentication)"),
                r.integer("DB_WRITE_POOL_SIZE", 16, 1, 1_000),
                r.integer("DB_READ_POOL_SIZE", 16, 1, 1_000),
                r.redisUrl("REDIS_URL", "redis://localhost:6379"),
                r.integer("CACHE_TTL_SECONDS", 60, 1, 31_536_000),
                r.integer("REDIS_TIMEOUT_MS", 1000, 1, 60_000),
                r.integer("REDIS_THREADS", 4, 1, 1_000),
                httpThreads,
                r.integer("SHUTDOWN_GRACE_SECONDS", 10, 0, 3_600),
                r.integer("CACHE_BREAKER_FAILURES", 3, 1, 1_000),
                r.integer("CACHE_BREAKER_COOLDOWN_MS", 5_000, 1, 3_600_000),
                r.integer("CACHE_PENDING_INVALIDATIONS_MAX", 10_000, 1, 10_000_000),
                r.integer("IDEMPOTENCY_KEY_TTL_SECONDS", 86_400, 1, 30 * 86_400),
                r.integer("NEAR_CACHE_ENTRIES", 10_000, 0, 10_000_000),
                new Admission(
                        r.integer("HTTP_QUEUE_MAX", 16 * httpThreads, 0, 1_000_000),
                        r.integer("HTTP_QUEUE_TIMEOUT_MS", 500, 1, 600_000),
                        // Half the workers' count of threads for writes, in their own lane.
                        r.integer("DB_WRITE_CONCURRENCY", Math.max(1, httpThreads / 2), 1, 10_000),
                        r.integer("DB_WRITE_QUEUE_MAX", 8 * Math.max(1, httpThreads / 2), 0, 1_000_000),
                        r.integer("DB_WRITE_QUEUE_TIMEOUT_MS", 1_000, 1, 600_000),
                        // Three quarters of the workers for database reads: a stalled read path leaves a
                        // quarter to cache hits.
                        r.integer("DB_READ_CONCURRENCY", Math.max(1, httpThreads * 3 / 4), 1, 10_000),
                        r.integer("DB_READ_WAIT_MS", 250, 0, 60_000),
                        r.integer("DB_WRITE_TIMEOUT_MS", 2_000, 100, 600_000)));
    }

    /** True when reads have their own pool (a replica port), false when they share the write pool. */
    public boolean separateReadPool() {
        return !dbReadUrl.equals(dbWriteUrl);
    }

    /** A copy that listens on another port (tests use 0: any free port). */
    public Config withPort(int newPort) {
        return new Config(newPort, dbWriteUrl, dbReadUrl, dbUser, dbPassword, dbWritePoolSize,
                dbReadPoolSize, redisUrl, cacheTtlSeconds, redisTimeoutMs, redisThreads, httpThreads,
                shutdownGraceSeconds, breakerFailures, breakerCoolDownMs, pendingInvalidationsMax,
                idempotencyKeyTtlSeconds, nearCacheEntries, admission);
    }

    /** A copy pointing at another Redis (tests point it at a stopped or proxied one). */
    public Config withRedisUrl(URI newRedisUrl) {
        return new Config(port, dbWriteUrl, dbReadUrl, dbUser, dbPassword, dbWritePoolSize,
                dbReadPoolSize, newRedisUrl, cacheTtlSeconds, redisTimeoutMs, redisThreads, httpThreads,
                shutdownGraceSeconds, breakerFailures, breakerCoolDownMs, pendingInvalidationsMax,
                idempotencyKeyTtlSeconds, nearCacheEntries, admission);
    }

    @Override
    public String toString() {
        // Never print the password.
        return "Config[port=" + port + ", dbWriteUrl=" + dbWriteUrl + ", dbReadUrl=" + dbReadUrl
                + ", dbUser=" + dbUser + ", redisUrl=" + redisUrl.getScheme() + "://" + redisUrl.getHost()
                + ":" + redisUrl.getPort() + ", cacheTtlSeconds=" + cacheTtlSeconds
                + ", redisTimeoutMs=" + redisTimeoutMs + ", breakerFailures=" + breakerFailures
                + ", breakerCoolDownMs=" + breakerCoolDownMs + ", nearCacheEntries=" + nearCacheEntries + ", httpThreads=" + httpThreads + ", " + admission + "]";
    }

    /** Parses one variable at a time; blank counts as unset so `VAR=` in a compose file means default. */
    private record Reader(Map<String, String> env) {
        String text(String name, String fallback) {
            String value = env.get(name);
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        String required(String name, String expected) {
            String value = env.get(name);
            if (value == null) {
                throw new ConfigException(name + " is required: " + expected);
            }
            return value;
        }

        int integer(String name, int fallback, int min, int max) {
            String value = text(name, null);
            if (value == null) {
                return fallback;
            }
            String expected = "an integer from " + min + " to " + max;
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min || parsed > max) {
                    throw new ConfigException(name, expected, value);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new ConfigException(name, expected, value);
            }
        }

        String jdbcUrl(String name, String fallback) {
            String value = text(name, fallback);
            if (!value.startsWith("jdbc:postgresql:")) {
                throw new ConfigException(name, "a PostgreSQL JDBC URL like jdbc:postgresql://host:5000/products", value);
            }
            return value;
        }

        URI redisUrl(String name, String fallback) {
            String value = text(name, fallback);
            String expected = "a Redis URL like redis://host:6379 or rediss://user:password@host:6380/0";
            try {
                URI uri = new URI(value);
                boolean known = "redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme());
                if (!known || uri.getHost() == null) {
                    throw new ConfigException(name, expected, value);
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new ConfigException(name, expected, value);
            }
        }
    }
}
