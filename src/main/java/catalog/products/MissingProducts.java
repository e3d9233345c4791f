package catalog.products;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Ids known to have no product, so a GET of one costs neither Redis nor the database: a flood of
 * GETs of random or deleted ids would otherwise cost a Redis GET, a lease and a database read each.
 * Two facts, each believed for {@link #BELIEVED} only:
 *
 * <ul>
 * <li><b>Beyond the highest id.</b> Ids come from a sequence: no id above the highest one (read
 * at most once per {@link #BELIEVED}, and only by a request for an id beyond it) plus
 * {@link #SLACK} can be created within that time, so such an id is missing without asking. Ids just above the highest (those another instance may be
 * creating now) are not covered: a client that reads the product it just created through another
 * instance still finds it.
 * <li><b>This id was missing.</b> An id the database said has no product (deleted, or never
 * created) is remembered, at most {@link #MAX_IDS} of them.
 * </ul>
 *
 * <p>One instance stays linearizable: a create here raises the highest id and forgets the id before
 * its answer leaves, and a missing id read by a request that began before a create is not
 * remembered (the {@code creations} count changed meanwhile). Across instances a missing answer can
 * be {@link #BELIEVED} old: wider than the near copies' bound (1 s as NearCacheIT asserts it), for
 * a GET of an id another instance is creating at that moment, which clients learn only from the
 * POST's answer. (A PUT never creates: it is a 404 on a missing id.)
 */
final class MissingProducts {
    static final Duration BELIEVED = Duration.ofSeconds(2);
    /** More ids than this system can take from its sequence within {@link #BELIEVED}, by far. */
    static final long SLACK = 1_000_000;
    static final int MAX_IDS = 10_000;

    private record Highest(long id, long readAt) {}

    private final LongSupplier highestId;
    private final LongSupplier clock;
    private final long believedNanos;
    private final Map<Long, Long> missingUntil = new ConcurrentHashMap<>();
    private final AtomicLong creations = new AtomicLong();
    private final ReentrantLock refreshing = new ReentrantLock();
    /** Null until first read. */
    private volatile Highest highest;
    /** After a failed read of the highest id, none before this (a database outage costs no extra reads). */
    private volatile long noRefreshBefore = Long.MIN_VALUE;

    MissingProducts(LongSupplier highestId, LongSupplier clock) {
        this.highestId = highestId;
        this.clock = clock;
        this.believedNanos = BELIEVED.toNanos();
    }

    /** Where a read starts: hand the answer back to {@link #missing(long, long)}. */
    long creations() {
        return creations.get();
    }

    /** True when the id is known to have no product, without asking anyone. */
    boolean known(long id) {
        long now = clock.getAsLong();
        Long until = missingUntil.get(id);
        if (until != null) {
            if (now - until < 0) {
                return true;
            }
            missingUntil.remove(id, until);
        }
        Highest seen = highest;
        if (seen != null && id - seen.id() <= SLACK) {
            // Not beyond even an old highest, so not beyond a newer one: no read of it can say
            // "missing", and a request for an id that exists (nearly all of them) never waits for it.
            // It did: during a failover the request that refreshed paid the outage twice, once for the
            // highest id and once for its product (8 s in ReadPoolRestIT, past the front's 5 s).
            return false;
        }
        if (seen == null || now - seen.readAt() >= believedNanos) {
            seen = refresh(now);
        }
        return seen != null && id - seen.id() > SLACK;
    }

    /** The database said this id has no product, in a read that began at {@code creationsAtStart}. */
    void missing(long id, long creationsAtStart) {
        if (missingUntil.size() >= MAX_IDS) {
            long now = clock.getAsLong();
            missingUntil.values().removeIf(until -> now - until >= 0);
            if (missingUntil.size() >= MAX_IDS) {
                return;
            }
        }
        Long until = clock.getAsLong() + believedNanos;
        // Per key atomic with created(): either the create's removal comes after this, or this sees its count.
        missingUntil.compute(id, (k, old) -> creations.get() == creationsAtStart ? until : old);
    }

    /** A product with this id was just created (or written) here: it is missing no more. */
    void created(long id) {
        creations.incrementAndGet();
        missingUntil.remove(id);
        Highest seen = highest;
        while (seen != null && id > seen.id()) {
            Highest raised = new Highest(id, seen.readAt());
            synchronized (this) {
                if (highest == seen) {
                    highest = raised;
                    return;
                }
            }
            seen = highest;
        }
    }

    /** One caller reads the highest id; the others meanwhile take the slow path (null). */
    private Highest refresh(long now) {
        if ((noRefreshBefore != Long.MIN_VALUE && now - noRefreshBefore < 0) || !refreshing.tryLock()) {
            return null;
        }
        try {
            long read = highestId.getAsLong();
            synchronized (this) {
                // A create here while reading may have raised it past what the read saw.
                highest = new Highest(highest == null ? read : Math.max(read, highest.id()), now);
                return highest;
            }
        } catch (RuntimeException e) {
            noRefreshBefore = now + believedNanos;
            return null;   // the database is unavailable: no fact, every read takes the usual path
        } finally {
            refreshing.unlock();
        }
    }
}
