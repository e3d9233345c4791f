package catalog;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it holds or a generous bound passes; the bound is part of the statement. */
public final class Await {
    private Await() {}

    public static <T> T until(Duration bound, Supplier<T> probe, java.util.function.Predicate<T> done, String what) {
        long deadline = System.nanoTime() + bound.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + bound.toMillis() + " ms; last: " + last);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            last = probe.get();
        }
        return last;
    }
}
