package catalog.cache;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cache with copies of hot entries in the process ({@link NearCache}), kept true by Redis'
 * invalidation messages ({@link InvalidationFeed}). A lookup that the feed allows and that finds a
 * copy costs no Redis call at all; any other goes to the cache below (breaker, pending
 * invalidations, Redis) exactly as without copies, and a hit from Redis becomes a copy. Writes go
 * below first and then drop this instance's copy; the other instances hear of it from Redis.
 */
public final class NearProductCache implements ProductCache {
    private final ProductCache below;
    private final NearCache copies;
    private final InvalidationFeed feed;
    private final CacheMetrics metrics;

    public NearProductCache(ProductCache below, NearCache copies, InvalidationFeed feed, CacheMetrics metrics) {
        this.below = below;
        this.copies = copies;
        this.feed = feed;
        this.metrics = metrics;
    }

    @Override
    public CacheLookup get(long id) {
        // The gate before the copy: every message that arrived before this request is applied by now.
        if (feed.caughtUp()) {
            String json = copies.copy(id);
            if (json != null) {
                metrics.nearHits.increment();
                return CacheLookup.hit(json);
            }
        }
        NearCache.Reservation reservation = reserve(id);
        CacheLookup lookup = below.get(id);
        if (reservation != null) {
            if (lookup.status() == CacheLookup.Status.HIT) {
                copies.keep(reservation, lookup.json());
            } else {
                copies.release(reservation);
            }
        }
        return lookup;
    }

    /**
     * Reserves the id under the live subscription. The read below then runs on a connection tracked
     * for it (see {@link RedisCalls}); if the subscription is lost meanwhile, every reservation is
     * dropped with it, so nothing read under a lost subscription is kept.
     */
    private NearCache.Reservation reserve(long id) {
        InvalidationFeed.Subscription subscription = feed.current();
        if (subscription == null) {
            return null;
        }
        NearCache.Reservation reservation = copies.reserve(id);
        if (reservation != null && feed.current() != subscription) {
            copies.release(reservation);   // lost between the two reads: its clear may have run before our put
            return null;
        }
        return reservation;
    }

    @Override
    public void fill(long id, CacheLookup miss, String json) {
        below.fill(id, miss, json);
    }

    @Override
    public boolean invalidate(long id, String writtenAt) {
        boolean done = below.invalidate(id, writtenAt);
        copies.drop(id);
        return done;
    }

    @Override
    public boolean invalidate(Collection<Long> ids) {
        boolean done = below.invalidate(ids);
        ids.forEach(copies::drop);
        return done;
    }

    @Override
    public boolean invalidateAll() {
        boolean done = below.invalidateAll();
        copies.droppedAll();
        return done;
    }

    @Override
    public boolean ping() {
        return below.ping();
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>(below.details());
        details.put("invalidationFeed", feed.current() != null ? "subscribed" : "lost");
        details.put("nearCopies", copies.size());
        return details;
    }

    @Override
    public void close() {
        feed.close();
        below.close();
    }
}
