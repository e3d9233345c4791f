package catalog.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QuantityTest {

    @Test
    @DisplayName("values are shown with the digits that mean something")
    void formats() {
        assertThat(Quantity.format(3.0)).isEqualTo("3");
        assertThat(Quantity.format(10.4)).isEqualTo("10.4");
        assertThat(Quantity.format(10.400000001)).isEqualTo("10.4");
        assertThat(Quantity.format(0.001234567)).isEqualTo("0.001235");
        assertThat(Quantity.format(12345.678)).isEqualTo("12350");
        assertThat(Quantity.withUnit(2.5, "s")).isEqualTo("2.5 s");
        assertThat(Quantity.withUnit(7, "")).isEqualTo("7");
        assertThat(Quantity.millis(1500)).isEqualTo("1.5 s");
        assertThat(Quantity.millis(0.5)).isEqualTo("0.5 ms");
    }
}
