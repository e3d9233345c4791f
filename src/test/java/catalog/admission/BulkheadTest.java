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

    @Test
    @DisplayName("work runs under a permit and gives it back")
    void runsAndReleases() {
        Bulkhead bulkhead = new Bulkhead(new Bulkhead.Settings(1, 0, Duration.ZERO), Shedding.Reason.DB_READ, 2, shedding);

        assertThat(bulkhead.run(() -> bulkhead.inUse())).isEqualTo(1);
        assertThat(bulkhead.run(() -> "again")).isEqualTo("again");
        assertThat(bulkhead.inUse()).isZero();
    }

    @Test
    @DisplayName("with every permit taken and no wait, work is refused at once and counted")
    void refusedAtOnce() throws InterruptedException {
        Bulkhead bulkhead = new Bulkhead(new Bulkhead.Settings(2, 0, Duration.ZERO), Shedding.Reason.DB_READ, 2, shedding);
        fill(bulkhead, 2);

        long start = System.nanoTime();
        assertThatThrownBy(() -> bulkhead.run(() -> "never"))
                .isInstanceOfSatisfying(Overloaded.class, e -> {
                    assertThat(e.reason()).isEqualTo(Shedding.Reason.DB_READ);
                    assertThat(e.retryAfterSeconds()).isEqualTo(2);
                });

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(100);
        assertThat(shedding.shed(Shedding.Reason.DB_READ)).isEqualTo(1);
    }

    @Test
    @DisplayName("with every permit taken, work waits its budget and no longer, then is refused")
    void waitsItsBudget() throws InterruptedException {
        Bulkhead bulkhead = new Bulkhead(new Bulkhead.Settings(1, 1, Duration.ofMillis(200)), Shedding.Reason.DB_READ, 2, shedding);
        fill(bulkhead, 1);

        long start = System.nanoTime();
        assertThatThrownBy(() -> bulkhead.run(() -> "never")).isInstanceOf(Overloaded.class);
        long waitedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(waitedMs).isBetween(190L, 2_000L);
        assertThat(shedding.shed(Shedding.Reason.DB_READ)).isEqualTo(1);
    }

    @Test
    @DisplayName("with the waiting room full, work is refused at once without waiting its budget")
    void fullWaitingRoomRefusesAtOnce() throws InterruptedException {
        Bulkhead bulkhead = new Bulkhead(new Bulkhead.Settings(1, 1, Duration.ofSeconds(10)), Shedding.Reason.DB_READ, 2, shedding);
        fill(bulkhead, 1);
        Thread waiter = new Thread(() -> {
            try {
                bulkhead.run(() -> "after the holder");
            } catch (Overloaded e) {
                // released at the end of the test
            }
        });
        waiter.setDaemon(true);
        waiter.start();
        Thread.sleep(200);   // the waiter is in the waiting room

        long start = System.nanoTime();
        assertThatThrownBy(() -> bulkhead.run(() -> "never")).isInstanceOf(Overloaded.class);

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
        assertThat(shedding.shed(Shedding.Reason.DB_READ)).isEqualTo(1);
    }

    @Test
    @DisplayName("once no permit came back for a whole budget (stalled work), work is refused without waiting")
    void stalledCompartmentRefusesAtOnce() throws InterruptedException {
        Bulkhead bulkhead = new Bulkhead(new Bulkhead.Settings(1, 4, Duration.ofMillis(200)), Shedding.Reason.DB_READ, 2, shedding);
        fill(bulkhead, 1);
        Thread.sleep(300);   // the holder has not finished for longer than the budget

        long start = System.nanoTime();
        assertThatThrownBy(() -> bulkhead.run(() -> "never")).isInstanceOf(Overloaded.class);

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(100);
    }

    @Test
    @DisplayName("a permit freed within the budget lets the waiting work run")
    void permitFreedInTime() throws InterruptedException {
        Bulkhead bulkhead = new Bulkhead(new Bulkhead.Settings(1, 1, Duration.ofSeconds(5)), Shedding.Reason.DB_READ, 2, shedding);
        fill(bulkhead, 1);
        Thread freer = new Thread(() -> {
            sleep(100);
            release.countDown();
        });
        freer.start();

        assertThat(bulkhead.run(() -> "ran")).isEqualTo("ran");
        assertThat(shedding.shed(Shedding.Reason.DB_READ)).isZero();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
