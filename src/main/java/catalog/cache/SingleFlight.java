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
    private final ConcurrentMap<K, CompletableFuture<V>> flights = new ConcurrentHashMap<>();

    /** The value loaded by the flight for {@code key}, starting one if none is in progress. */
    public V load(K key, Supplier<V> loader) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> running = flights.putIfAbsent(key, mine);
        if (running != null) {
            return join(running);
        }
        try {
            V value = loader.get();
            mine.complete(value);
            return value;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
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
