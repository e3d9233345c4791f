package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import catalog.lab.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SingleFlightTest {
    private final SingleFlight<Long, String> flight = new SingleFlight<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(20);
    /** Holds the loads a test starts until it lets them land. */
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    @DisplayName("twenty concurrent loads of one key run the loader once and all get its value")
    void oneLoadForConcurrentCallers() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(pool.submit(() -> flight.load(7L, () -> {
                loads.incrementAndGet();
                await(release);
                return "row 7";
            }).value()));
        }
        Eventually.until("the one load started", Duration.ofSeconds(5), () -> loads.get() == 1);
        Thread.sleep(100); // let the other callers join the flight before it lands
        release.countDown();
        for (Future<String> answer : answers) {
            assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo("row 7");
        }
        assertThat(loads).hasValue(1);
        assertThat(flight.inFlight()).isZero();
    }

    @Test
    @DisplayName("a caller that joined another's load learns when that load started, before it arrived")
    void joinerLearnsStart() throws Exception {
        Future<SingleFlight.Loaded<String>> leader = pool.submit(() -> flight.load(3L, () -> {
            await(release);
            return "row 3";
        }));
        awaitOneFlightInTheAir();
        long joinerArrived = System.nanoTime();
        Future<SingleFlight.Loaded<String>> joiner = pool.submit(() -> flight.load(3L, () -> "never"));
        Thread.sleep(100);
        release.countDown();
        SingleFlight.Loaded<String> joined = joiner.get(5, TimeUnit.SECONDS);
        assertThat(joined.value()).isEqualTo("row 3");
        assertThat(joined.startedAt()).isEqualTo(leader.get(5, TimeUnit.SECONDS).startedAt()).isLessThan(joinerArrived);
    }

    @Test
    @DisplayName("a load after the previous one finished reads again")
    void sequentialLoadsAreSeparate() {
        AtomicInteger loads = new AtomicInteger();
        flight.load(1L, () -> "a" + loads.incrementAndGet());
        assertThat(flight.load(1L, () -> "a" + loads.incrementAndGet()).value()).isEqualTo("a2");
    }

    @Test
    @DisplayName("waiters see the loader's own exception")
    void failureShared() throws Exception {
        Future<String> first = pool.submit(() -> flight.load(1L, () -> {
            await(release);
            throw new IllegalArgumentException("database down");
        }).value());
        awaitOneFlightInTheAir();
        Future<String> second = pool.submit(() -> flight.load(1L, () -> "never").value());
        Thread.sleep(100);
        release.countDown();
        assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("after forget, a new caller starts its own load instead of joining the old one")
    void forgetStartsFresh() throws Exception {
        Future<String> old = pool.submit(() -> flight.load(1L, () -> {
            await(release);
            return "old price";
        }).value());
        awaitOneFlightInTheAir();
        flight.forget(1L);
        assertThat(flight.load(1L, () -> "new price").value()).isEqualTo("new price");
        release.countDown();
        assertThat(old.get(5, TimeUnit.SECONDS)).isEqualTo("old price");
    }

    private void awaitOneFlightInTheAir() {
        Eventually.until("one flight in the air", Duration.ofSeconds(5), () -> flight.inFlight() == 1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
