package catalog.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RecentWritesTest {
    private final AtomicLong now = new AtomicLong();
    private final RecentWrites writes = new RecentWrites(Duration.ofSeconds(60), now::get);

    @Test
    @DisplayName("a product written recently is fenced at the LSN of its write")
    void fenced() {
        writes.wrote(1, "0/3000060");
        assertThat(writes.fenceFor(1)).contains("0/3000060");
        assertThat(writes.fenceFor(2)).isEmpty();
    }

    @Test
    @DisplayName("the latest write sets the fence")
    void latestWrite() {
        writes.wrote(1, "0/3000060");
        writes.wrote(1, "0/3000100");
        assertThat(writes.fenceFor(1)).contains("0/3000100");
    }

    @Test
    @DisplayName("once a replica replayed the write, the fence is lifted")
    void liftedByReplay() {
        writes.wrote(1, "0/3000060");
        writes.replayed(1, "0/3000060");
        assertThat(writes.fenceFor(1)).isEmpty();
    }

    @Test
    @DisplayName("a replay of an older write does not lift the fence of a newer one")
    void olderReplayKeepsFence() {
        writes.wrote(1, "0/3000060");
        writes.wrote(1, "0/3000100");
        writes.replayed(1, "0/3000060");
        assertThat(writes.fenceFor(1)).contains("0/3000100");
    }

    @Test
    @DisplayName("the fence lapses after the window")
    void lapses() {
        writes.wrote(1, "0/3000060");
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(writes.fenceFor(1)).isPresent();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(writes.fenceFor(1)).isEmpty();
        assertThat(writes.size()).isZero();
    }

    @Test
    @DisplayName("past its bound, the marks collapse into one floor that fences every product at the latest write")
    void boundedByFloor() {
        RecentWrites bounded = new RecentWrites(Duration.ofSeconds(60), 3, now::get);
        bounded.wrote(1, "0/3000100");
        bounded.wrote(2, "0/3000300");
        bounded.wrote(3, "0/3000200");
        bounded.wrote(4, "0/3000050");
        assertThat(bounded.size()).isZero();
        assertThat(bounded.fenceFor(1)).contains("0/3000300");
        assertThat(bounded.fenceFor(99)).contains("0/3000300");
        bounded.wrote(5, "0/3000400");
        assertThat(bounded.fenceFor(5)).contains("0/3000400");
        assertThat(bounded.fenceFor(6)).contains("0/3000300");
    }

    @Test
    @DisplayName("a replica read past the floor lifts it; the floor also lapses after the window")
    void floorLifted() {
        RecentWrites bounded = new RecentWrites(Duration.ofSeconds(60), 1, now::get);
        bounded.wrote(1, "0/3000100");
        bounded.wrote(2, "0/3000200");
        bounded.replayed(7, "0/3000150");
        assertThat(bounded.fenceFor(7)).contains("0/3000200");
        bounded.replayed(7, "0/3000200");
        assertThat(bounded.fenceFor(7)).isEmpty();
        bounded.wrote(3, "0/3000300");
        bounded.wrote(4, "0/3000400");
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertThat(bounded.fenceFor(8)).isEmpty();
    }
}
