package catalog.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BulkheadTest {
    private final Shedding shedding = new Shedding();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseHolders() {
        release.countDown();
    }

    /** Takes every permit on other threads, holding them until the test ends. */
    private void fill(Bulkhead bulkhead, int permits) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(permits);
        for (int i = 0; i < permits; i++) {
            Thread holder = new Thread(() -> bulkhead.run(() -> {
                held.countDown();
                try {
                    return release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return false;
                }
            }));
            holder.setDaemon(true);
            holder.start();
        }
        assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
    }

    /** A compartment for database reads: permits, room for waiters, how long one may wait. */
    private Bulkhead dbReads(int permits, int waiting, Duration budget) {
        return new Bulkhead(new Bulkhead.Settings(permits, waiting, budget), Shedding.Reason.DB_READ, 2, shedding);
    }

    /** Runs work that must be refused (Overloaded); returns how long the refusal took, in ms. */
    private static long millisToRefuse(Bulkhead bulkhead) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> bulkhead.run(() -> "never")).isInstanceOf(Overloaded.class);
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Then: the work was refused (Overloaded) within the bound, without waiting out a budget. */
    private static void assertRefusedWithinMillis(Bulkhead bulkhead, long bound) {
        assertThat(millisToRefuse(bulkhead)).isLessThan(bound);
    }

    /** Then: this many database reads were counted as shed. */
    private void assertReadsShed(long count) {
        assertThat(shedding.shed(Shedding.Reason.DB_READ)).as("reads shed").isEqualTo(count);
    }

    @Test
    @DisplayName("work runs under a permit and gives it back")
    void runsAndReleases() {
        Bulkhead bulkhead = dbReads(1, 0, Duration.ZERO);

        assertThat(bulkhead.run(() -> bulkhead.inUse())).isEqualTo(1);
        assertThat(bulkhead.run(() -> "again")).isEqualTo("again");
        assertThat(bulkhead.inUse()).isZero();
    }

    @Test
    @DisplayName("with every permit taken and no wait, work is refused at once and counted")
    void refusedAtOnce() throws InterruptedException {
        Bulkhead bulkhead = dbReads(2, 0, Duration.ZERO);
        fill(bulkhead, 2);

        long start = System.nanoTime();
        assertThatThrownBy(() -> bulkhead.run(() -> "never"))
                .isInstanceOfSatisfying(Overloaded.class, e -> {
                    assertThat(e.reason()).isEqualTo(Shedding.Reason.DB_READ);
                    assertThat(e.retryAfterSeconds()).isEqualTo(2);
                });

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(100);
        assertReadsShed(1);
    }

    @Test
    @DisplayName("with every permit taken, work waits its budget and no longer, then is refused")
    void waitsItsBudget() throws InterruptedException {
        Bulkhead bulkhead = dbReads(1, 1, Duration.ofMillis(200));
        fill(bulkhead, 1);

        assertThat(millisToRefuse(bulkhead)).isBetween(190L, 2_000L);
        assertReadsShed(1);
    }

    @Test
    @DisplayName("with the waiting room full, work is refused at once without waiting its budget")
    void fullWaitingRoomRefusesAtOnce() throws InterruptedException {
        Bulkhead bulkhead = dbReads(1, 1, Duration.ofSeconds(10));
        fill(bulkhead, 1);
        inBackground(() -> {
            try {
                bulkhead.run(() -> "after the holder");
            } catch (Overloaded e) {
                // released at the end of the test
            }
        });
        Thread.sleep(200);   // the waiter is in the waiting room

        assertRefusedWithinMillis(bulkhead, 1_000);
        assertReadsShed(1);
    }

    @Test
    @DisplayName("once no permit came back for a whole budget (stalled work), work is refused without waiting")
    void stalledCompartmentRefusesAtOnce() throws InterruptedException {
        Bulkhead bulkhead = dbReads(1, 4, Duration.ofMillis(200));
        fill(bulkhead, 1);
        Thread.sleep(300);   // the holder has not finished for longer than the budget

        assertRefusedWithinMillis(bulkhead, 100);
    }

    @Test
    @DisplayName("a permit freed within the budget lets the waiting work run")
    void permitFreedInTime() throws InterruptedException {
        Bulkhead bulkhead = dbReads(1, 1, Duration.ofSeconds(5));
        fill(bulkhead, 1);
        inBackground(() -> {
            sleep(100);
            release.countDown();
        });

        assertThat(bulkhead.run(() -> "ran")).isEqualTo("ran");
        assertReadsShed(0);
    }

    /** Another caller of the compartment, on its own thread; a daemon, so a stuck one cannot hold the JVM. */
    private static void inBackground(Runnable caller) {
        Thread thread = new Thread(caller);
        thread.setDaemon(true);
        thread.start();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
