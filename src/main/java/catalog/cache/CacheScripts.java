package catalog.cache;

/**
 * The Lua scripts behind lease-checked fills (Facebook's memcache leases, NSDI 2013), run inside
 * Redis so they hold across every API instance sharing it.
 *
 * <p>A reader that misses takes a lease in the same round trip as its GET. A writer's
 * invalidation deletes the value AND the lease. The fill stores the value only if the reader's
 * lease is still there, so a reader that read the old row before a write cannot put it back after
 * the write's invalidation.
 */
final class CacheScripts {
    private CacheScripts() {}

    /** KEYS: value, lease. ARGV: token, lease ms. Returns {"hit", value}, {"lease", token} or {"busy"}. */
    static final String READ_OR_LEASE = """
            local value = redis.call('GET', KEYS[1])
            if value then return {'hit', value} end
            if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'lease', ARGV[1]} end
            return {'busy'}
            """;

    /** KEYS: value, lease. ARGV: token, value, ttl seconds. Returns 1 if stored, 0 if the lease was lost. */
    static final String FILL_IF_LEASED = """
            if redis.call('GET', KEYS[2]) == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
              redis.call('DEL', KEYS[2])
              return 1
            end
            return 0
            """;
}
