package catalog.db;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The replica-lag fence: for each product written recently, the primary's WAL position (LSN)
 * right after the write committed. A read of that product may use the replica only once the
 * replica has replayed up to that LSN; otherwise it goes to the primary, so a PUT followed by a GET
 * never returns (or caches) the row as it was before the PUT.
 *
 * <p>A mark is dropped when a replica read proves the write replayed, or after {@code window}
 * (a replica further behind than that is also one HAProxy should stop sending reads to).
 *
 * <p>Memory is bounded: past {@code maxMarks} live marks (sustained writes faster than
 * maxMarks / window per second) the marks collapse into one floor, the latest LSN among them,
 * which fences every product for the window. Reads are then stricter than needed (any replica read
 * first waits for the latest write to replay), never staler; the first replica read that proves
 * the floor replayed lifts it.
 *
 * <p>Limit: the marks live in this process. Another API instance does not know about this
 * instance's writes and may read the lagging replica for up to the replication lag; a short-lived
 * marker in Redis ({@code written:product:{id}} = LSN, expiring with the window, read in the same
 * round trip as the cache lookup) would extend the fence to every instance while Redis is up.
 */
public final class RecentWrites {
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    /** About 15 MiB of marks (150 bytes each): 1 600 writes/s sustained for the whole window. */
    public static final int DEFAULT_MAX_MARKS = 100_000;
    private static final int PRUNE_ABOVE = 10_000;

    private record Mark(String lsn, long writtenAt) {}

    private final Duration window;
    private final int maxMarks;
    private final LongSupplier nanoTime;
    private final Map<Long, Mark> marks = new ConcurrentHashMap<>();
    /** Fences every product when the marks collapsed; null when none. */
    private final AtomicReference<Mark> floor = new AtomicReference<>();
    // Pruning scans every mark: at most once per tenth of the window, or sustained writes above
    // ~170/s (more than PRUNE_ABOVE marks in the window) pay the scan on every write.
    private final AtomicLong nextPruneAt;

    public RecentWrites(Duration window, LongSupplier nanoTime) {
        this(window, DEFAULT_MAX_MARKS, nanoTime);
    }

    public RecentWrites(Duration window, int maxMarks, LongSupplier nanoTime) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("replica fence window must be > 0, got " + window);
        }
        if (maxMarks < 1) {
            throw new IllegalArgumentException("replica fence needs room for at least one mark, got " + maxMarks);
        }
        this.window = window;
        this.maxMarks = maxMarks;
        this.nanoTime = nanoTime;
        this.nextPruneAt = new AtomicLong(nanoTime.getAsLong());
    }

    public static RecentWrites withDefaults() {
        return new RecentWrites(DEFAULT_WINDOW, System::nanoTime);
    }

    /** Records that {@code id} was written and the primary's WAL was at {@code lsn} after the commit. */
    public void wrote(long id, String lsn) {
        long now = nanoTime.getAsLong();
        marks.put(id, new Mark(lsn, now));
        long due = nextPruneAt.get();
        if (now - due >= 0 && marks.size() > PRUNE_ABOVE
                && nextPruneAt.compareAndSet(due, now + window.toNanos() / 10)) {
            marks.values().removeIf(mark -> expired(mark, now));
        }
        if (marks.size() > maxMarks) {
            collapse(now);
        }
    }

    /**
     * Moves every mark into the floor. Each is removed only if still the one read, so a mark a
     * concurrent write puts meanwhile is either counted in the floor or stays in the map.
     */
    private void collapse(long now) {
        String latest = null;
        for (Map.Entry<Long, Mark> entry : marks.entrySet()) {
            if (marks.remove(entry.getKey(), entry.getValue())) {
                latest = Lsn.later(latest, entry.getValue().lsn());
            }
        }
        if (latest == null) {
            return;   // another write collapsed them first
        }
        String lsn = latest;
        floor.accumulateAndGet(new Mark(lsn, now), (old, fresh) ->
                old == null || expired(old, now) ? fresh : new Mark(Lsn.later(old.lsn(), fresh.lsn()), now));
    }

    /** The LSN a replica must have replayed before it may serve {@code id}, if any. */
    public Optional<String> fenceFor(long id) {
        long now = nanoTime.getAsLong();
        Mark floorMark = floor.get();
        String floorLsn = null;
        if (floorMark != null) {
            if (expired(floorMark, now)) {
                floor.compareAndSet(floorMark, null);
            } else {
                floorLsn = floorMark.lsn();
            }
        }
        Mark mark = marks.get(id);
        if (mark != null && expired(mark, now)) {
            marks.remove(id, mark);
            mark = null;
        }
        return Optional.ofNullable(Lsn.later(mark == null ? null : mark.lsn(), floorLsn));
    }

    /** A replica showed it replayed {@code lsn}: reads of {@code id} need no fence unless written again. */
    public void replayed(long id, String lsn) {
        marks.computeIfPresent(id, (key, mark) -> mark.lsn().equals(lsn) ? null : mark);
        Mark floorMark = floor.get();
        if (floorMark != null && lsn.equals(Lsn.later(lsn, floorMark.lsn()))) {
            floor.compareAndSet(floorMark, null);   // the replica is past every collapsed write
        }
    }

    public int size() {
        return marks.size();
    }

    private boolean expired(Mark mark, long now) {
        return now - mark.writtenAt() >= window.toNanos();
    }
}
