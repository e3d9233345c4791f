package catalog.ha;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polling for a condition that becomes true within a bound (conditions may throw while false). */
final class Awaits {
    private Awaits() {}

    static void until(String what, Duration within, Callable<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not within " + within.toMillis() + " ms: " + what
                + (last == null ? "" : " (last error: " + last + ")"));
    }
}
