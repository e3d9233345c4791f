package catalog.products;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ExpiredKeyPurgeTest {
    @Test
    @DisplayName("the purge runs as often as keys expire, but at least every 10 minutes")
    void period() {
        assertThat(ExpiredKeyPurge.periodFor(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(ExpiredKeyPurge.periodFor(Duration.ofMinutes(10))).isEqualTo(Duration.ofMinutes(10));
        assertThat(ExpiredKeyPurge.periodFor(Duration.ofHours(24))).isEqualTo(Duration.ofMinutes(10));
    }
}
