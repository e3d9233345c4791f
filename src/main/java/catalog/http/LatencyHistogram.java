package catalog.http;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A Prometheus-style cumulative histogram of durations in seconds, lock-free on the hot path. */
final class LatencyHistogram {
    static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final LongAdder[] buckets = new LongAdder[BOUNDS.length];
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void observe(double seconds) {
        for (int i = 0; i < BOUNDS.length; i++) {
            if (seconds <= BOUNDS[i]) {
                buckets[i].increment();
                break;
            }
        }
        count.increment();
        sum.add(seconds);
    }

    /** Cumulative count of observations at or under bound i (Prometheus buckets are cumulative). */
    long cumulative(int i) {
        long total = 0;
        for (int j = 0; j <= i; j++) {
            total += buckets[j].sum();
        }
        return total;
    }

    long count() {
        return count.sum();
    }

    double sum() {
        return sum.sum();
    }
}
