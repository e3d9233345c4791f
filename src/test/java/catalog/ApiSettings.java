package catalog;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API's settings as the tests give them: one method per environment variable that
 * {@code catalog.ops.Config} reads, so a misspelled setting does not compile. Immutable: each call
 * returns new settings, so a lab's base settings can be refined per scenario
 * ({@code lab.startApi(s -> s.redisTimeout(Duration.ofMillis(300)))}).
 */
public final class ApiSettings {
    private final Map<String, String> environment;

    private ApiSettings(Map<String, String> environment) {
        this.environment = environment;
    }

    public static ApiSettings none() {
        return new ApiSettings(Map.of());
    }

    /** What every lab's API starts from: the spec's client "dev" may write ({@link ApiClient#DEV_KEY}). */
    public static ApiSettings withDevKey() {
        return none().apiKeys(ApiClient.DEV_KEYS);
    }

    /** The environment variables the API reads, as {@code Config.from} takes them. */
    public Map<String, String> environment() {
        return environment;
    }

    public ApiSettings writeUrl(String jdbcUrl) { return with("DB_WRITE_URL", jdbcUrl); }
    public ApiSettings readUrl(String jdbcUrl) { return with("DB_READ_URL", jdbcUrl); }
    public ApiSettings user(String user) { return with("DB_USER", user); }
    public ApiSettings password(String password) { return with("DB_PASSWORD", password); }
    public ApiSettings redisUrl(String url) { return with("REDIS_URL", url); }
    public ApiSettings port(int port) { return with("PORT", port); }
    public ApiSettings httpThreads(int threads) { return with("HTTP_THREADS", threads); }
    public ApiSettings writePoolSize(int connections) { return with("DB_WRITE_POOL_SIZE", connections); }
    public ApiSettings readPoolSize(int connections) { return with("DB_READ_POOL_SIZE", connections); }
    public ApiSettings cacheTtl(Duration ttl) { return with("CACHE_TTL_SECONDS", ttl.toSeconds()); }
    public ApiSettings redisTimeout(Duration timeout) { return with("REDIS_TIMEOUT_MS", timeout.toMillis()); }
    public ApiSettings redisThreads(int threads) { return with("REDIS_THREADS", threads); }
    public ApiSettings shutdownGrace(Duration grace) { return with("SHUTDOWN_GRACE_SECONDS", grace.toSeconds()); }
    public ApiSettings breakerFailures(int failures) { return with("CACHE_BREAKER_FAILURES", failures); }
    public ApiSettings breakerCoolDown(Duration coolDown) { return with("CACHE_BREAKER_COOLDOWN_MS", coolDown.toMillis()); }
    public ApiSettings pendingInvalidationsMax(int max) { return with("CACHE_PENDING_INVALIDATIONS_MAX", max); }
    public ApiSettings idempotencyKeyTtl(Duration ttl) { return with("IDEMPOTENCY_KEY_TTL_SECONDS", ttl.toSeconds()); }
    public ApiSettings nearCacheEntries(int entries) { return with("NEAR_CACHE_ENTRIES", entries); }
    public ApiSettings httpQueueMax(int requests) { return with("HTTP_QUEUE_MAX", requests); }
    public ApiSettings httpQueueTimeout(Duration wait) { return with("HTTP_QUEUE_TIMEOUT_MS", wait.toMillis()); }
    public ApiSettings writeConcurrency(int writes) { return with("DB_WRITE_CONCURRENCY", writes); }
    public ApiSettings writeQueueMax(int writes) { return with("DB_WRITE_QUEUE_MAX", writes); }
    public ApiSettings writeQueueTimeout(Duration wait) { return with("DB_WRITE_QUEUE_TIMEOUT_MS", wait.toMillis()); }
    public ApiSettings readConcurrency(int reads) { return with("DB_READ_CONCURRENCY", reads); }
    public ApiSettings readWait(Duration wait) { return with("DB_READ_WAIT_MS", wait.toMillis()); }
    public ApiSettings writeTimeout(Duration timeout) { return with("DB_WRITE_TIMEOUT_MS", timeout.toMillis()); }
    public ApiSettings apiKeys(String entries) { return with("API_KEYS", entries); }
    public ApiSettings apiKeysForReads(boolean required) { return with("API_KEYS_FOR_READS", required); }

    private ApiSettings with(String name, Object value) {
        Map<String, String> copy = new LinkedHashMap<>(environment);
        copy.put(name, String.valueOf(value));
        return new ApiSettings(Map.copyOf(copy));
    }

    @Override
    public String toString() {
        return environment.keySet().toString();   // names only: the password stays out of logs
    }
}
