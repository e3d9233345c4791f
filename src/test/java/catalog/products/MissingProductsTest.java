package catalog.products;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Ids known to be missing, on an injected clock. */
class MissingProductsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicLong highestInDatabase = new AtomicLong(100);
    private final AtomicInteger highestReads = new AtomicInteger();
    private final MissingProducts missing = new MissingProducts(() -> {
        highestReads.incrementAndGet();
        return highestInDatabase.get();
    }, now::get);

    private void later(long millis) {
        now.addAndGet(millis * 1_000_000);
    }

    @Test
    @DisplayName("ids far beyond the highest are missing without asking, with one read of the highest id per period")
    void beyondTheHighest() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(missing.known(100 + MissingProducts.SLACK + 1 + i)).isTrue();
        }
        assertThat(highestReads).hasValue(1);
        later(MissingProducts.BELIEVED.toMillis());
        assertThat(missing.known(Long.MAX_VALUE)).isTrue();
        assertThat(highestReads).hasValue(2);
    }

    @Test
    @DisplayName("ids just above the highest, which another instance may be creating, are not assumed missing")
    void justAboveTheHighest() {
        assertThat(missing.known(101)).isFalse();
        assertThat(missing.known(100 + MissingProducts.SLACK)).isFalse();
    }

    @Test
    @DisplayName("a read of an id within reach of the highest never waits for the highest to be read again")
    void withinReachOfTheHighest() {
        assertThat(missing.known(Long.MAX_VALUE)).isTrue();
        later(MissingProducts.BELIEVED.toMillis() * 10);
        assertThat(missing.known(100 + MissingProducts.SLACK)).isFalse();
        assertThat(missing.known(42)).isFalse();
        assertThat(highestReads).hasValue(1);
    }

    @Test
    @DisplayName("a missing id is remembered for a while, and forgotten at once when it is created here")
    void rememberedUntilCreated() {
        missing.missing(7, missing.creations());
        assertThat(missing.known(7)).isTrue();
        missing.created(7);
        assertThat(missing.known(7)).isFalse();
        missing.missing(8, missing.creations());
        later(MissingProducts.BELIEVED.toMillis());
        assertThat(missing.known(8)).isFalse();
    }

    @Test
    @DisplayName("a read that began before a create does not remember the id as missing")
    void readOlderThanCreate() {
        long atStart = missing.creations();
        missing.created(9);
        missing.missing(9, atStart);
        assertThat(missing.known(9)).isFalse();
    }

    @Test
    @DisplayName("a create here raises the highest id at once, whatever the last read of it said")
    void createRaisesTheHighest() {
        assertThat(missing.known(100 + MissingProducts.SLACK + 5)).isTrue();
        missing.created(105);
        assertThat(missing.known(100 + MissingProducts.SLACK + 5)).isFalse();
    }

    @Test
    @DisplayName("when the highest id cannot be read, nothing is assumed and it is not asked again for a period")
    void databaseDown() {
        MissingProducts down = new MissingProducts(() -> {
            highestReads.incrementAndGet();
            throw new IllegalStateException("down");
        }, now::get);
        assertThat(down.known(Long.MAX_VALUE)).isFalse();
        assertThat(down.known(Long.MAX_VALUE)).isFalse();
        assertThat(highestReads).hasValue(1);
    }
}
