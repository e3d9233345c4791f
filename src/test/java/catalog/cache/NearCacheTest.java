package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Near copies")
class NearCacheTest {
    private final AtomicLong now = new AtomicLong();
    private final NearCache copies = new NearCache(2, Duration.ofSeconds(10), now::get);

    @Test
    @DisplayName("a value read under a reservation is kept and served")
    void keptAndServed() {
        NearCache.Reservation reservation = copies.reserve(7);
        assertNoCopyOf(7);
        copies.keep(reservation, "{\"id\":7}");
        assertServes(7, "{\"id\":7}");
    }

    @Test
    @DisplayName("a change heard while the read was under way: the value read is not kept")
    void changeDuringTheRead() {
        NearCache.Reservation reservation = copies.reserve(7);
        copies.dropped("product:7");
        copies.keep(reservation, "{\"id\":7,\"old\":true}");
        assertNoCopyOf(7);
    }

    @Test
    @DisplayName("of two reads of one product, only the later reservation may keep its value")
    void laterReservationWins() {
        NearCache.Reservation first = copies.reserve(7);
        NearCache.Reservation second = copies.reserve(7);
        copies.keep(first, "{\"id\":7,\"first\":true}");
        assertNoCopyOf(7);
        copies.keep(second, "{\"id\":7}");
        assertServes(7, "{\"id\":7}");
    }

    @Test
    @DisplayName("a lease or write marker changing does not drop the copy; the value key and a flush do")
    void whichKeysDrop() {
        copies.keep(copies.reserve(7), "{\"id\":7}");
        copies.dropped("product:7:lease");
        copies.dropped("product:7:written");
        copies.dropped("product:");
        copies.dropped("idempotency:7");
        assertThat(copies.copy(7)).isNotNull();
        copies.dropped("product:7");
        assertNoCopyOf(7);
        copies.keep(copies.reserve(8), "{\"id\":8}");
        copies.droppedAll();
        assertNoCopyOf(8);
    }

    @Test
    @DisplayName("a copy is not served past its age")
    void expires() {
        copies.keep(copies.reserve(7), "{\"id\":7}");
        now.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
        assertThat(copies.copy(7)).isNotNull();
        now.addAndGet(1);
        assertNoCopyOf(7);
    }

    @Test
    @DisplayName("when full, nothing new is reserved until expired copies make room")
    void capacity() {
        copies.keep(copies.reserve(1), "{\"id\":1}");
        copies.keep(copies.reserve(2), "{\"id\":2}");
        assertThat(copies.reserve(3)).isNull();
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(copies.reserve(3)).isNotNull();
        assertThat(copies.size()).isEqualTo(1);
    }

    /** Then: the product is served from its near copy, with this value. */
    private void assertServes(long id, String value) {
        assertThat(copies.copy(id)).as("near copy of %d", id).isEqualTo(value);
    }

    /** Then: the product has no near copy; a read goes to Redis. */
    private void assertNoCopyOf(long id) {
        assertThat(copies.copy(id)).as("near copy of %d", id).isNull();
    }
}
