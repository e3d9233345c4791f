package catalog.products;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import catalog.http.Problem;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyKeyTest {
    @Test
    @DisplayName("a key is read bare or quoted, without surrounding spaces; no header is no key")
    void valid() {
        assertThat(IdempotencyKey.from(List.of("8e03978e-40d5-43e8-bc93-6894a57f9324"))).hasValue(
                new IdempotencyKey("8e03978e-40d5-43e8-bc93-6894a57f9324"));
        assertThat(IdempotencyKey.from(List.of("\"abc\""))).hasValue(new IdempotencyKey("abc"));
        assertThat(IdempotencyKey.from(List.of("  abc\t"))).hasValue(new IdempotencyKey("abc"));
        assertThat(IdempotencyKey.from(List.of("k".repeat(255)))).isPresent();
        assertThat(IdempotencyKey.from(List.of())).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @DisplayName("an empty, too long or non-ASCII key is a 400")
    @ValueSource(strings = {"", "  ", "\"\"", "two words", "clé", "a\\b", "a\"b", "\u0007"})
    void invalid(String value) {
        Problem problem = catchThrowableOfType(Problem.class, () -> IdempotencyKey.from(List.of(value)));
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.detail()).startsWith("Idempotency-Key");
    }

    @Test
    @DisplayName("256 characters, or the header given twice, is a 400")
    void tooLongOrTwice() {
        assertThat(catchThrowableOfType(Problem.class, () -> IdempotencyKey.from(List.of("k".repeat(256)))).detail())
                .contains("longer than 255");
        assertThat(catchThrowableOfType(Problem.class, () -> IdempotencyKey.from(List.of("a", "b"))).detail())
                .contains("more than once");
    }

    @Test
    @DisplayName("the fingerprint is of the validated product: 1 and 1.00 are the same price, another stock is not")
    void fingerprint() {
        NewProduct one = ProductJson.read("{\"name\":\"x\",\"price\":1}".getBytes());
        NewProduct same = ProductJson.read("{ \"price\" : 1.00, \"stock\": 0, \"name\":\"x\" }".getBytes());
        NewProduct other = new NewProduct("x", new BigDecimal("1.00"), 1);

        assertThat(one.fingerprint()).isEqualTo(same.fingerprint()).hasSize(64).isNotEqualTo(other.fingerprint());
    }
}
