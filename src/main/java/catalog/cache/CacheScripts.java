package catalog.cache;

/**
 * The Lua scripts behind lease-checked fills (Facebook's memcache leases, NSDI 2013), run inside
 * Redis so they hold across every API instance sharing it.
 *
 * <p>A lookup is one script that returns the value or, when there is none, takes a lease: a miss
 * reaches the database after one round trip. A writer's
 * invalidation deletes the value AND the lease. The fill stores the value only if the reader's
 * lease is still there, so a reader that read the old row before a write cannot put it back after
 * the write's invalidation.
 *
 * <p>The invalidation also leaves a short-lived marker with the write's WAL position (memcache's
 * "remote markers"), which a miss returns: a reader on any instance then knows the replica must
 * have replayed that far before it may serve (or fill) the product.
 */
final class CacheScripts {
    private CacheScripts() {}

    /**
     * KEYS: value, lease, written marker. ARGV: token, lease ms. Returns {"hit", value}, or on a miss
     * {"lease", token, marker} or {"busy", "", marker}; marker is the latest write's WAL position or "".
     */
    static final LuaScript READ_OR_LEASE = new LuaScript("""
            local value = redis.call('GET', KEYS[1])
            if value then return {'hit', value} end
            local written = redis.call('GET', KEYS[3]) or ''
            if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'lease', ARGV[1], written} end
            return {'busy', '', written}
            """);

    /**
     * KEYS: value, lease, written marker. ARGV: the write's WAL position ("" for none), marker ms.
     * Deletes value and lease; the marker keeps the later of its position and the write's, so
     * writers finishing out of order never move it back.
     */
    static final LuaScript INVALIDATE = new LuaScript("""
            redis.call('DEL', KEYS[1], KEYS[2])
            if ARGV[1] == '' then return 1 end
            local function position(lsn)
              local hi, lo = string.match(lsn, '^(%x+)/(%x+)$')
              return tonumber(hi, 16), tonumber(lo, 16)
            end
            local current = redis.call('GET', KEYS[3])
            if current then
              local chi, clo = position(current)
              local nhi, nlo = position(ARGV[1])
              if chi > nhi or (chi == nhi and clo >= nlo) then return 1 end
            end
            redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[2])
            return 1
            """);

    /** KEYS: value, lease. ARGV: token, value, ttl seconds. Returns 1 if stored, 0 if the lease was lost. */
    static final LuaScript FILL_IF_LEASED = new LuaScript("""
            if redis.call('GET', KEYS[2]) == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
              redis.call('DEL', KEYS[2])
              return 1
            end
            return 0
            """);
}
