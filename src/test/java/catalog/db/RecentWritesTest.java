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
}
