package catalog.cache;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Copies of Redis entries in the process, so a hit on a hot product costs no round trip. Only a
 * value just read from Redis on a tracked connection becomes a copy, and the {@link
 * InvalidationFeed} drops it when any client changes the key. Reads of Redis and its messages race,
 * so a lookup first <em>reserves</em> its id: a message that arrives while the read is under way
 * removes the reservation, and the value read is then not kept (the order Redis' client-side
 * caching guide prescribes). A copy also expires after {@code maxAge}, a bound for what no rule here
 * foresees, and at most {@code capacity} ids are held.
 */
public final class NearCache implements InvalidationFeed.Listener {
    private static final String PREFIX = "product:";

    /** A lookup of Redis under way for one id; identity is what counts. */
    public static final class Reservation {
        private final long id;

        private Reservation(long id) {
            this.id = id;
        }
    }

    private record Copy(String json, long expiresAtNanos) {}

    private final ConcurrentHashMap<Long, Object> entries = new ConcurrentHashMap<>();
    private final int capacity;
    private final long maxAgeNanos;
    private final LongSupplier clock;
    /** When full, expired copies are swept at most this often, so a full cache costs no scan per lookup. */
    private final long sweepEveryNanos;
    private volatile long nextSweepNanos;

    public NearCache(int capacity, Duration maxAge, LongSupplier nanoClock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a near cache holds at least one copy, got " + capacity);
        }
        this.capacity = capacity;
        this.maxAgeNanos = maxAge.toNanos();
        this.clock = nanoClock;
        this.sweepEveryNanos = Math.max(1, maxAgeNanos / 10);
        this.nextSweepNanos = nanoClock.getAsLong();
    }

    /** The copy's JSON, or null when there is none (or it is too old). */
    String copy(long id) {
        if (entries.get(id) instanceof Copy copy) {
            if (clock.getAsLong() - copy.expiresAtNanos < 0) {
                return copy.json;
            }
            entries.remove(id, copy);
        }
        return null;
    }

    /** Marks a Redis read of {@code id} as under way; null when full (the value read is then not kept). */
    Reservation reserve(long id) {
        if (entries.size() >= capacity && !sweep()) {
            return null;
        }
        Reservation reservation = new Reservation(id);
        entries.put(id, reservation);
        return reservation;
    }

    /** Keeps the value read, unless a message dropped the reservation meanwhile. */
    void keep(Reservation reservation, String json) {
        entries.replace(reservation.id, reservation, new Copy(json, clock.getAsLong() + maxAgeNanos));
    }

    void release(Reservation reservation) {
        entries.remove(reservation.id, reservation);
    }

    void drop(long id) {
        entries.remove(id);
    }

    int size() {
        return entries.size();
    }

    /** A key of ours changed in Redis: its value key drops the copy; leases and markers do not matter here. */
    @Override
    public void dropped(String key) {
        if (!key.startsWith(PREFIX) || key.length() == PREFIX.length() || key.length() > PREFIX.length() + 19) {
            return;
        }
        long id = 0;
        for (int i = PREFIX.length(); i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return;   // product:{id}:lease, product:{id}:written
            }
            id = id * 10 + (c - '0');
        }
        entries.remove(id);
    }

    @Override
    public void droppedAll() {
        entries.clear();
    }

    /** Removes expired copies (unless a sweep ran moments ago); true when that made room. */
    private boolean sweep() {
        long now = clock.getAsLong();
        if (now - nextSweepNanos < 0) {
            return false;
        }
        nextSweepNanos = now + sweepEveryNanos;
        entries.values().removeIf(entry -> entry instanceof Copy copy && now - copy.expiresAtNanos >= 0);
        return entries.size() < capacity;
    }
}
