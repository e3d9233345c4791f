package catalog.lab;

import catalog.report.Timeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

/**
 * A client that repeats one operation at a steady pace on its own thread while a scenario breaks
 * things, and remembers every attempt: when it started, how long it took, whether it succeeded and
 * what it returned. A failure is any exception; the operation carries its own timeouts.
 * Attempts also go to a report {@link Timeline} when one is given.
 *
 * @param <T> what a successful attempt returns (e.g. the id of a written row)
 */
public final class Probe<T> implements AutoCloseable {
    /** One attempt, in milliseconds since the probe's origin. */
    public record Attempt<T>(long startMillis, long durationMillis, boolean ok, T value, String error) {
        public long endMillis() {
            return startMillis + durationMillis;
        }
    }

    private final String lane;
    private final Duration pace;
    private final Callable<T> operation;
    private final Timeline timeline;
    private final LongSupplier clock;
    private final List<Attempt<T>> attempts = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;
    /** A failed assertion inside the operation (e.g. an answer the API contract does not allow). */
    private volatile AssertionError broken;

    private Probe(String lane, Duration pace, Callable<T> operation, Timeline timeline) {
        this.lane = lane;
        this.pace = pace;
        this.operation = operation;
        this.timeline = timeline;
        long originNanos = System.nanoTime();
        this.clock = timeline != null ? timeline::now : () -> (System.nanoTime() - originNanos) / 1_000_000;
        this.thread = new Thread(this::loop, "probe-" + lane);
        thread.setDaemon(true);
    }

    /** Starts a probe that attempts the operation every {@code pace} (or right after a slower attempt). */
    public static <T> Probe<T> every(Duration pace, String lane, Callable<T> operation) {
        return start(new Probe<>(lane, pace, operation, null));
    }

    /** Same, drawing each attempt on the timeline's lane and keeping time on the timeline's clock. */
    public static <T> Probe<T> every(Duration pace, String lane, Timeline timeline, Callable<T> operation) {
        return start(new Probe<>(lane, pace, operation, timeline));
    }

    private static <T> Probe<T> start(Probe<T> probe) {
        probe.thread.start();
        return probe;
    }

    public String lane() {
        return lane;
    }

    /** Milliseconds on the probe's clock (its timeline's, or since it started): marks moments. */
    public long now() {
        return clock.getAsLong();
    }

    public List<Attempt<T>> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    public List<Attempt<T>> attemptsFrom(long fromMillis) {
        return attempts().stream().filter(a -> a.startMillis() >= fromMillis).toList();
    }

    /** Attempts that started in [fromMillis, toMillis). */
    public List<Attempt<T>> attemptsBetween(long fromMillis, long toMillis) {
        return attemptsFrom(fromMillis).stream().filter(a -> a.startMillis() < toMillis).toList();
    }

    public long failuresBetween(long fromMillis, long toMillis) {
        return attemptsBetween(fromMillis, toMillis).stream().filter(a -> !a.ok()).count();
    }

    public long maxLatencyBetween(long fromMillis, long toMillis) {
        return attemptsBetween(fromMillis, toMillis).stream().mapToLong(Attempt::durationMillis).max().orElse(0);
    }

    public long failuresFrom(long fromMillis) {
        return attemptsFrom(fromMillis).stream().filter(a -> !a.ok()).count();
    }

    public long maxLatencyFrom(long fromMillis) {
        return attemptsFrom(fromMillis).stream().mapToLong(Attempt::durationMillis).max().orElse(0);
    }

    /**
     * When the probe worked again after an outage that began at {@code fromMillis}: the end of the
     * first success after the first failure (or of the first success, if nothing failed).
     */
    public Optional<Long> backAfter(long fromMillis) {
        List<Attempt<T>> after = attemptsFrom(fromMillis);
        int firstFailure = 0;
        while (firstFailure < after.size() && after.get(firstFailure).ok()) {
            firstFailure++;
        }
        int from = firstFailure == after.size() ? 0 : firstFailure;
        return after.subList(from, after.size()).stream().filter(Attempt::ok).map(Attempt::endMillis).findFirst();
    }

    /** Waits until an attempt that started at or after {@code fromMillis} succeeds; returns its end. */
    public long awaitSuccessFrom(long fromMillis, Duration within) {
        Eventually.until(lane + " to succeed", within, () -> broken != null || firstSuccessFrom(fromMillis).isPresent());
        throwIfBroken();
        return firstSuccessFrom(fromMillis).orElseThrow();
    }

    private Optional<Long> firstSuccessFrom(long fromMillis) {
        return attemptsFrom(fromMillis).stream().filter(Attempt::ok).map(Attempt::endMillis).findFirst();
    }

    /** The longest time between two successive successes from {@code fromMillis} on: the outage as clients saw it. */
    public long longestGapFrom(long fromMillis) {
        long longest = 0;
        Long previousEnd = null;
        for (Attempt<T> a : attempts()) {
            if (a.ok() && a.endMillis() >= fromMillis) {
                if (previousEnd != null) {
                    longest = Math.max(longest, a.endMillis() - previousEnd);
                }
                previousEnd = a.endMillis();
            }
        }
        return longest;
    }

    /** Waits for {@code count} successes, e.g. a baseline before the fault. */
    public void awaitSuccesses(int count, Duration within) {
        Eventually.until(count + " successful " + lane + "s", within,
                () -> broken != null || attempts().stream().filter(Attempt::ok).count() >= count);
        throwIfBroken();
    }

    private void loop() {
        while (running) {
            long started = System.nanoTime();
            long startMillis = now();
            Attempt<T> attempt;
            try {
                T value = operation.call();
                attempt = new Attempt<>(startMillis, now() - startMillis, true, value, null);
            } catch (Exception e) {
                if (!running) {
                    return; // cut short by close(): the system did not fail it
                }
                attempt = new Attempt<>(startMillis, now() - startMillis, false, null, e.toString());
            } catch (AssertionError e) {
                // Not a failed request but a failed scenario: stop, and fail whoever waits or closes.
                broken = e;
                return;
            }
            attempts.add(attempt);
            if (timeline != null) {
                timeline.request(lane, startMillis, attempt.ok());
            }
            long rest = pace.toNanos() - (System.nanoTime() - started);
            if (rest > 0) {
                try {
                    Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Stops the probe after the attempt in flight; throws the assertion an attempt failed, if any. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throwIfBroken();
    }

    private void throwIfBroken() {
        if (broken != null) {
            throw new AssertionError(lane + " probe stopped: " + broken.getMessage(), broken);
        }
    }
}
