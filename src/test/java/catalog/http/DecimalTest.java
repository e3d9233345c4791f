package catalog.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DecimalTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @DisplayName("ASCII digits within the bounds, leading zeros whatever their number")
    @CsvSource({
            "1, 1",
            "007, 7",
            // Found by ProductIdPropertyTest: 20 characters, the integer 1 (was a 400 while 007 was 7).
            "00000000000000000001, 1",
            "09223372036854775807, 9223372036854775807",
            "9223372036854775807, 9223372036854775807"})
    void accepted(String text, long value) {
        assertThat(Decimal.within(text, 1, Long.MAX_VALUE)).hasValue(value);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @DisplayName("anything else is refused: a sign, spaces, other digits, overflow, out of bounds")
    @ValueSource(strings = {"", "0", "000", "+1", "-1", " 1", "1 ", "1.0", "1e3", "0x10", "\u0661\u0662", "\uFF11",
            "9223372036854775808", "99999999999999999999", "0009223372036854775808"})
    void refused(String text) {
        assertThat(Decimal.within(text, 1, Long.MAX_VALUE)).isEmpty();
    }
}
