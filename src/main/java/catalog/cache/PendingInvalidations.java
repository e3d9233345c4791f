package catalog.cache;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Invalidations that could not reach Redis. A write never fails because Redis is down, so the
 * product ids it could not invalidate wait here and are replayed before the cache is read again;
 * until then Redis may still hold the old value and must not be trusted.
 *
 * <p>Memory is bounded: past {@code bound} ids the set is dropped and replaced by "drop every
 * product key", which is cheaper to remember than the ids and just as safe (only slower to refill).
 */
public final class PendingInvalidations {
    public static final int DEFAULT_BOUND = 10_000;

    /** What a replay must do: delete these ids, or every product key when {@code dropAll}. */
    public record Replay(Set<Long> ids, boolean dropAll, long version) {
        public boolean isEmpty() {
            return ids.isEmpty() && !dropAll;
        }
    }

    private final int bound;
    private final Set<Long> ids = new LinkedHashSet<>();
    private boolean dropAll;
    private long version;
    /** Read on every lookup without the lock; written under it whenever ids or dropAll change. */
    private volatile boolean empty = true;

    public PendingInvalidations(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("pending invalidation bound must be >= 1, got " + bound);
        }
        this.bound = bound;
    }

    public synchronized void remember(long id) {
        version++;
        if (dropAll) {
            return;
        }
        ids.add(id);
        if (ids.size() > bound) {
            ids.clear();
            dropAll = true;
        }
        empty = false;
    }

    public boolean isEmpty() {
        return empty;
    }

    public synchronized Replay snapshot() {
        return new Replay(Set.copyOf(ids), dropAll, version);
    }

    /**
     * Marks a snapshot as applied to Redis. Ids remembered while the replay ran stay pending, and so
     * does a "drop all" that was extended by a new invalidation during the replay.
     */
    public synchronized void replayed(Replay replay) {
        ids.removeAll(replay.ids());
        if (replay.dropAll() && replay.version() == version) {
            dropAll = false;
        }
        empty = ids.isEmpty() && !dropAll;
    }

    /** Ids waiting (0 once collapsed into "drop all"), for /health and /metrics. */
    public synchronized int size() {
        return ids.size();
    }

    public synchronized boolean dropsAll() {
        return dropAll;
    }
}
