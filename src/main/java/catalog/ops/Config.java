package catalog.ops;

import catalog.access.ApiKeys;
import catalog.admission.Bulkhead;
import catalog.admission.Lane;
import catalog.cache.CircuitBreaker;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Everything the API reads from its environment, validated once at start-up, in five named parts:
 * the HTTP side, who may call it, the database, the cache and the admission rule. Each setting has a default that
 * works against the compose stack's published ports, except the database password, which must be
 * given (it may be empty for trust authentication): no secret lives in the code.
 */
public record Config(Http http, Access access, Database database, Cache cache, Admission admission) {

    /**
     * The listening port, the request workers, how long a stop waits for in-flight requests, and
     * how long a client's Idempotency-Key is remembered.
     */
    public record Http(int port, int threads, int shutdownGraceSeconds, int idempotencyKeyTtlSeconds) {}

    /**
     * The API keys clients present ({@code API_KEYS}, {@code API_KEYS_FILE}: digests only) and
     * whether reads need one too ({@code API_KEYS_FOR_READS}); writes always do.
     */
    public record Access(ApiKeys keys, boolean readsNeedKey) {}

    /** The write and read pools (one pool when both URLs are the same), who logs in, and a write's deadline. */
    public record Database(Pool write, Pool read, Login login, Duration writeDeadline) {
        /** True when reads have their own pool (a replica port), false when they share the write pool. */
        public boolean separateReadPool() {
            return !read.url().equals(write.url());
        }
    }

    /** One HikariCP pool: where it connects and how many connections it keeps. */
    public record Pool(String url, int size) {
        @Override
        public String toString() {
            // A JDBC URL may carry the password as a parameter: never print it.
            return "Pool[url=" + withoutPassword(url) + ", size=" + size + "]";
        }
    }

    /** The URL with the value of any {@code password=} parameter replaced (pgjdbc takes it there too). */
    public static String withoutPassword(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)([?&;]password=)[^&;]*", "$1***");
    }

    /** A database user; the password is never printed. */
    public record Login(String user, String password) {
        @Override
        public String toString() {
            return "Login[user=" + user + "]";
        }
    }

    /**
     * The Redis cache: the server, how long an entry lives, when the circuit breaker opens and for
     * how long, and what this process keeps in memory.
     */
    public record Cache(Redis redis, int ttlSeconds, CircuitBreaker.Settings breaker, CacheBounds bounds) {}

    /** Where Redis is, the bound on every call, and the threads that fill the cache after a miss. */
    public record Redis(URI url, int timeoutMs, int fillThreads) {
        @Override
        public String toString() {
            // Never the URL's user information: it may hold the password.
            return "Redis[url=" + url.getScheme() + "://" + url.getHost() + ":" + url.getPort()
                    + ", timeoutMs=" + timeoutMs + ", fillThreads=" + fillThreads + "]";
        }
    }

    /**
     * Entries this process keeps: near copies of products (0: none), and invalidations waiting for
     * Redis to come back.
     */
    public record CacheBounds(int nearCopies, int pendingInvalidations) {}

    /**
     * The admission rule's settings (see {@code catalog.admission.Bulkhead}): how many requests may
     * wait for an HTTP worker and for how long; the write lane's threads, waiting room and budget;
     * how many database reads may run at once and how long one waits for a slot.
     */
    public record Admission(WaitingRoom httpQueue, Lane.Bounds writes, Bulkhead.Settings reads) {}

    /** At most {@code max} requests wait, none longer than {@code maxWait}. */
    public record WaitingRoom(int max, Duration maxWait) {}

    /** Reads the process environment; throws {@link ConfigException} naming the bad variable. */
    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    public static Config from(Map<String, String> env) {
        Reader r = new Reader(env);
        Http http = new Http(
                r.integer("PORT", 3000, 0, 65_535),
                r.integer("HTTP_THREADS", 16, 1, 10_000),
                r.integer("SHUTDOWN_GRACE_SECONDS", 10, 0, 3_600),
                r.integer("IDEMPOTENCY_KEY_TTL_SECONDS", 86_400, 1, 30 * 86_400));
        return new Config(http, access(r), database(r), cache(r), admission(r, http.threads()));
    }

    private static Access access(Reader r) {
        List<String> entries = new ArrayList<>();
        entries.addAll(r.apiKeys("API_KEYS", Arrays.asList(r.text("API_KEYS", "").split(","))));
        String file = r.text("API_KEYS_FILE", null);
        if (file != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file));
            } catch (IOException e) {
                throw new ConfigException("API_KEYS_FILE " + file + " cannot be read: " + e);
            }
            entries.addAll(r.apiKeys("API_KEYS_FILE", lines));
        }
        ApiKeys keys;
        try {
            keys = ApiKeys.parse(entries);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("API_KEYS with API_KEYS_FILE: a key is given in both (" + e.getMessage() + ")");
        }
        return new Access(keys, r.bool("API_KEYS_FOR_READS", false));
    }

    private static Database database(Reader r) {
        String writeUrl = r.jdbcUrl("DB_WRITE_URL", "jdbc:postgresql://localhost:5000/products");
        return new Database(
                new Pool(writeUrl, r.integer("DB_WRITE_POOL_SIZE", 16, 1, 1_000)),
                new Pool(r.jdbcUrl("DB_READ_URL", writeUrl), r.integer("DB_READ_POOL_SIZE", 16, 1, 1_000)),
                new Login(r.text("DB_USER", "products"),
                        r.required("DB_PASSWORD", "the password of DB_USER (may be empty for trust authentication)")),
                r.millis("DB_WRITE_TIMEOUT_MS", 2_000, 100, 600_000));
    }

    private static Cache cache(Reader r) {
        return new Cache(
                new Redis(r.redisUrl("REDIS_URL", "redis://localhost:6379"),
                        r.integer("REDIS_TIMEOUT_MS", 1000, 1, 60_000),
                        r.integer("REDIS_THREADS", 4, 1, 1_000)),
                r.integer("CACHE_TTL_SECONDS", 60, 1, 31_536_000),
                new CircuitBreaker.Settings(r.integer("CACHE_BREAKER_FAILURES", 3, 1, 1_000),
                        r.millis("CACHE_BREAKER_COOLDOWN_MS", 5_000, 1, 3_600_000)),
                new CacheBounds(r.integer("NEAR_CACHE_ENTRIES", 10_000, 0, 10_000_000),
                        r.integer("CACHE_PENDING_INVALIDATIONS_MAX", 10_000, 1, 10_000_000)));
    }

    private static Admission admission(Reader r, int httpThreads) {
        // Half the workers' count of threads for writes, in their own lane.
        int writeThreads = r.integer("DB_WRITE_CONCURRENCY", Math.max(1, httpThreads / 2), 1, 10_000);
        return new Admission(
                new WaitingRoom(r.integer("HTTP_QUEUE_MAX", 16 * httpThreads, 0, 1_000_000),
                        r.millis("HTTP_QUEUE_TIMEOUT_MS", 500, 1, 600_000)),
                new Lane.Bounds(writeThreads,
                        r.integer("DB_WRITE_QUEUE_MAX", 8 * Math.max(1, httpThreads / 2), 0, 1_000_000),
                        r.millis("DB_WRITE_QUEUE_TIMEOUT_MS", 1_000, 1, 600_000)),
                // Three quarters of the workers for database reads: a stalled read path leaves a
                // quarter to cache hits. Every worker may wait for a read slot.
                new Bulkhead.Settings(r.integer("DB_READ_CONCURRENCY", Math.max(1, httpThreads * 3 / 4), 1, 10_000),
                        httpThreads, r.millis("DB_READ_WAIT_MS", 250, 0, 60_000)));
    }

    /**
     * Settings each valid alone that work against each other, one line each, naming the variables
     * (the API logs them at start and runs anyway: the operator may have a reason).
     */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        if (access.keys().isEmpty()) {
            warnings.add("API_KEYS and API_KEYS_FILE name no key: every write (and every read if API_KEYS_FOR_READS)"
                    + " is refused with 401; see docs/security.md to make one");
        }
        int readConcurrency = admission.reads().permits();
        String readPool = database.separateReadPool() ? "DB_READ_POOL_SIZE" : "DB_WRITE_POOL_SIZE (reads share the write pool)";
        int readPoolSize = database.separateReadPool() ? database.read().size() : database.write().size();
        if (readPoolSize < readConcurrency) {
            warnings.add(readPool + " is " + readPoolSize + ", below DB_READ_CONCURRENCY " + readConcurrency
                    + ": admitted reads wait inside HikariCP for a connection (measured: a p99 of 400-650 ms on the"
                    + " miss paths); give the pool at least as many connections as reads may run at once");
        }
        if (database.write().size() < admission.writes().threads()) {
            warnings.add("DB_WRITE_POOL_SIZE is " + database.write().size() + ", below DB_WRITE_CONCURRENCY "
                    + admission.writes().threads() + ": write threads wait inside HikariCP for a connection,"
                    + " spending their DB_WRITE_TIMEOUT_MS there");
        }
        if (readConcurrency >= http.threads() && http.threads() > 1) {
            warnings.add("DB_READ_CONCURRENCY " + readConcurrency + " is not below HTTP_THREADS " + http.threads()
                    + ": reads run on the request workers, so a stalled read path can hold every one of them"
                    + " and cache hits wait too; keep it below HTTP_THREADS");
        }
        return warnings;
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

        boolean bool(String name, boolean fallback) {
            String value = text(name, null);
            if (value == null) {
                return fallback;
            }
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw new ConfigException(name, "true or false", value);
            }
            return Boolean.parseBoolean(value);
        }

        /** Checks the entries alone, so an error names the setting they came from; never echoes a digest. */
        List<String> apiKeys(String name, List<String> entries) {
            try {
                ApiKeys.parse(entries);
                return entries;
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name + ": " + e.getMessage()
                        + " (expected client:sha256hex or client:sha256hex:read; see docs/security.md)");
            }
        }

        Duration millis(String name, int fallback, int min, int max) {
            return Duration.ofMillis(integer(name, fallback, min, max));
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
