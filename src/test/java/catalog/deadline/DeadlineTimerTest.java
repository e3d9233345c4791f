package catalog.deadline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Closeable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The deadline timer against faked slow calls: a call that blocks until its "socket" is closed stands
 * for a Jedis read from a hung Redis (closing the socket is what unblocks that read).
 */
class DeadlineTimerTest {
    private final DeadlineTimer deadlines = new DeadlineTimer(5, TimeUnit.MILLISECONDS, "test-deadlines");

    @AfterEach
    void stop() {
        deadlines.close();
    }

    /** A fake socket: reading blocks until it is closed, as a read from a hung peer does. */
    private static final class HungSocket implements Closeable {
        final CountDownLatch closed = new CountDownLatch(1);
        final AtomicInteger closes = new AtomicInteger();

        void read() throws InterruptedException {
            if (!closed.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("never aborted");
            }
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            closed.countDown();
        }
    }

    /** A call that starts with a deadline of the given ms, guarding what it will block on, as the API's Redis calls do. */
    private DeadlineTimer.Watch callWithDeadline(long millis, Closeable target) {
        DeadlineTimer.Watch watch = deadlines.arm(TimeUnit.MILLISECONDS.toNanos(millis));
        watch.guard(target);
        return watch;
    }

    @Test
    @DisplayName("a call blocked past its deadline is aborted by closing what it blocks on, within a tick")
    void overdueCallAborted() throws InterruptedException {
        HungSocket socket = new HungSocket();

        long start = System.nanoTime();
        DeadlineTimer.Watch watch = callWithDeadline(200, socket);
        socket.read();
        boolean aborted = watch.disarm();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(aborted).isTrue();
        assertThat(socket.closes).hasValue(1);
        assertThat(elapsedMs).isBetween(195L, 2_000L);
    }

    @Test
    @DisplayName("a call that ends in time is not aborted and what it used is left open")
    void timelyCallUntouched() throws InterruptedException {
        HungSocket socket = new HungSocket();
        DeadlineTimer.Watch watch = callWithDeadline(50, socket);

        boolean aborted = watch.disarm();
        Thread.sleep(150);   // several deadlines and ticks later

        assertThat(aborted).isFalse();
        assertThat(socket.closes).hasValue(0);
    }

    @Test
    @DisplayName("a target named after the deadline passed is closed at once (the connect raced the deadline timer)")
    void lateTargetClosed() throws InterruptedException {
        DeadlineTimer.Watch watch = deadlines.arm(TimeUnit.MILLISECONDS.toNanos(1));
        Thread.sleep(100);
        HungSocket socket = new HungSocket();

        watch.guard(socket);

        assertThat(socket.closes).hasValue(1);
        assertThat(watch.disarm()).isTrue();
    }

    @Test
    @DisplayName("thousands of quick calls on several threads: none aborted, no target closed")
    void quickCallsNeverAborted() throws InterruptedException {
        AtomicInteger aborted = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        Closeable target = closed::incrementAndGet;
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    DeadlineTimer.Watch watch = callWithDeadline(1_000, target);
                    if (watch.disarm()) {
                        aborted.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(aborted).hasValue(0);
        assertThat(closed).hasValue(0);
    }

    @Test
    @DisplayName("after an aborted call the next call on the same thread gets its full timeout")
    void nextCallAfterAbort() throws InterruptedException {
        HungSocket first = new HungSocket();
        DeadlineTimer.Watch watch = callWithDeadline(20, first);
        first.read();
        assertThat(watch.disarm()).isTrue();

        HungSocket second = new HungSocket();
        DeadlineTimer.Watch next = callWithDeadline(300, second);
        Thread.sleep(100);

        assertThat(next.disarm()).isFalse();
        assertThat(second.closes).hasValue(0);
    }
}
