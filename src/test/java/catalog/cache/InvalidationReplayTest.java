package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.lab.Eventually;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The background replay's mechanism, with a replay that is a counter (Redis' side is in the ITs). */
class InvalidationReplayTest {
    private static final Duration PAUSE = Duration.ofMillis(20);
    private static final Duration WITHIN = Duration.ofSeconds(5);

    @Test
    @DisplayName("nothing is replayed until an invalidation is remembered, then it is replayed at once")
    void replaysWhenWanted() throws InterruptedException {
        AtomicInteger replays = new AtomicInteger();
        try (InvalidationReplay background = InvalidationReplay.start(() -> replays.incrementAndGet() > 0, PAUSE)) {
            Thread.sleep(PAUSE.multipliedBy(5).toMillis());
            assertThat(replays).hasValue(0);

            background.wanted();
            Eventually.until("one replay", WITHIN, () -> replays.get() == 1);
            Thread.sleep(PAUSE.multipliedBy(5).toMillis());
            assertThat(replays).as("a replay that Redis took is not repeated").hasValue(1);
        }
    }

    @Test
    @DisplayName("a replay Redis did not take is tried again after the pause until it is taken")
    void retriesUntilTaken() throws InterruptedException {
        AtomicInteger replays = new AtomicInteger();
        try (InvalidationReplay background = InvalidationReplay.start(() -> replays.incrementAndGet() >= 3, PAUSE)) {
            long wanted = System.nanoTime();
            background.wanted();
            Eventually.until("three replays", WITHIN, () -> replays.get() == 3);
            assertThat(Duration.ofNanos(System.nanoTime() - wanted)).isGreaterThanOrEqualTo(PAUSE.multipliedBy(2));
            Thread.sleep(PAUSE.multipliedBy(5).toMillis());
            assertThat(replays).hasValue(3);
        }
    }

    @Test
    @DisplayName("while Redis does not take the replay, writes that remember ids do not cut the pause short")
    void writesDuringThePauseWait() throws InterruptedException {
        AtomicInteger replays = new AtomicInteger();
        Duration pause = Duration.ofMillis(500);
        try (InvalidationReplay background = InvalidationReplay.start(() -> replays.incrementAndGet() < 0, pause)) {
            background.wanted();
            Eventually.until("a first replay", WITHIN, () -> replays.get() == 1);
            long started = System.nanoTime();
            for (int write = 0; write < 20; write++) {
                background.wanted();
                Thread.sleep(10);
            }
            long pauses = (System.nanoTime() - started) / pause.toNanos();   // 0 unless the machine stalled
            assertThat(replays).as("one replay per pause, not one per write").hasValueLessThanOrEqualTo((int) (2 + pauses));
        }
    }

    @Test
    @DisplayName("a replay that throws is tried again like one Redis did not take")
    void throwingReplayTriedAgain() {
        AtomicInteger replays = new AtomicInteger();
        try (InvalidationReplay background = InvalidationReplay.start(() -> {
            if (replays.incrementAndGet() == 1) {
                throw new IllegalStateException("a broken connection");
            }
            return true;
        }, PAUSE)) {
            background.wanted();
            Eventually.until("a second replay", WITHIN, () -> replays.get() == 2);
        }
    }

    @Test
    @DisplayName("once closed, it replays nothing more")
    void closedReplaysNothing() throws InterruptedException {
        AtomicInteger replays = new AtomicInteger();
        InvalidationReplay background = InvalidationReplay.start(() -> replays.incrementAndGet() < 0, PAUSE);
        background.wanted();
        Eventually.until("a first replay", WITHIN, () -> replays.get() >= 1);
        background.close();
        int seen = replays.get();
        background.wanted();
        Thread.sleep(PAUSE.multipliedBy(5).toMillis());
        assertThat(replays).hasValue(seen);
    }
}
