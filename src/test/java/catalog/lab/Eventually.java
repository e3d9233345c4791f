package catalog.lab;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * The spec's one way to wait: poll until something holds or a generous bound passes; the bound is
 * part of the statement. A probe that throws counts as "not yet" (a server still starting refuses
 * connections); the last value or error is in the failure. Polls every 20 ms at first, backing off
 * to 200 ms so that slow probes (a cluster's health) do not load a 2-core machine.
 */
public final class Eventually {
    private static final long FIRST_PAUSE_MS = 20;
    private static final long LONGEST_PAUSE_MS = 200;

    private Eventually() {}

    /** What is looked at on each round; it may throw while the thing awaited is not there yet. */
    @FunctionalInterface
    public interface Look<T> {
        T get() throws Exception;
    }

    /** Waits until {@code done} accepts what {@code probe} gives; returns that value. */
    public static <T> T until(Duration within, Look<T> probe, Predicate<T> done, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        long pause = FIRST_PAUSE_MS;
        Object last = null;
        while (true) {
            try {
                T value = probe.get();
                if (done.test(value)) {
                    return value;
                }
                last = value;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + within.toMillis() + " ms; last: " + last);
            }
            sleep(pause, what);
            pause = Math.min(LONGEST_PAUSE_MS, pause * 2);
        }
    }

    /** Waits until {@code condition} is true (it may throw while false). */
    public static void until(String what, Duration within, Callable<Boolean> condition) {
        until(within, condition::call, Boolean.TRUE::equals, what);
    }

    private static void sleep(long ms, String what) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }
}
