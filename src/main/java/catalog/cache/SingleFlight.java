package catalog.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * One load per key at a time: when N requests miss the same cold key together, the first one
 * reads the database and the others wait for its answer, so a popular product expiring does not
 * send N identical queries to PostgreSQL (a cache stampede).
 *
 * <p>{@link #forget} detaches the flight in progress: a writer calls it after changing a row so
 * that requests arriving after the write start a fresh load instead of joining one that may have
 * read the old row.
 */
public final class SingleFlight<K, V> {
    /**
     * A flight's value and when its load started ({@link System#nanoTime}): a caller that joined
     * may have arrived after the load began, so the value can be older than what it saw before.
     */
    public record Loaded<V>(V value, long startedAt) {}

    private record Flight<V>(CompletableFuture<V> result, long startedAt) {}

    private final ConcurrentMap<K, Flight<V>> flights = new ConcurrentHashMap<>();

    /** The value loaded by the flight for {@code key}, starting one if none is in progress. */
    public Loaded<V> load(K key, Supplier<V> loader) {
        Flight<V> mine = new Flight<>(new CompletableFuture<>(), System.nanoTime());
        Flight<V> running = flights.putIfAbsent(key, mine);
        if (running != null) {
            return new Loaded<>(join(running.result()), running.startedAt());
        }
        try {
            V value = loader.get();
            mine.result().complete(value);
            return new Loaded<>(value, mine.startedAt());
        } catch (RuntimeException | Error e) {
            mine.result().completeExceptionally(e);
            throw e;
        } finally {
            flights.remove(key, mine);
        }
    }

    public void forget(K key) {
        flights.remove(key);
    }

    /** Loads in progress, for tests and metrics. */
    public int inFlight() {
        return flights.size();
    }

    private static <V> V join(CompletableFuture<V> running) {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another request's load", e);
        } catch (ExecutionException e) {
            // The waiters see the loader's own exception (e.g. the repository's), not a wrapper.
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
