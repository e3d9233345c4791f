package catalog.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LsnTest {
    @Test
    @DisplayName("the later WAL position wins, comparing the high part first and then the low part as hex")
    void later() {
        assertThat(Lsn.later("0/3000060", "0/3000100")).isEqualTo("0/3000100");
        assertThat(Lsn.later("1/0", "0/FFFFFFFF")).isEqualTo("1/0");
        assertThat(Lsn.later("0/A", "0/9")).isEqualTo("0/A");
    }

    @Test
    @DisplayName("a missing position yields the other")
    void missing() {
        assertThat(Lsn.later(null, "0/1")).isEqualTo("0/1");
        assertThat(Lsn.later("0/1", null)).isEqualTo("0/1");
        assertThat(Lsn.later(null, null)).isNull();
    }

    @Test
    @DisplayName("text that is not a WAL position is refused")
    void malformed() {
        assertThatThrownBy(() -> Lsn.later("0/1", "nonsense")).isInstanceOf(IllegalArgumentException.class);
    }
}
