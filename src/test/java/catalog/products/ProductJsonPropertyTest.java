package catalog.products;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.http.Problem;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Generated bodies (QuickTheories) through the body parser and validator: every body is either a
 * product that keeps the rules or a 400 with a detail, never any other failure; and every valid
 * product is read as written, however it is written.
 */
class ProductJsonPropertyTest {
    @Test
    void anyBodyIsAValidProductOrA400() {
        GeneratedCases cases = GeneratedCases.of(2000);

        cases.qt().forAll(GeneratedInput.anyBodies())
                .checkAssert(body -> cases.count(validOr400(body.getBytes(StandardCharsets.UTF_8))));

        cases.assertRan("valid", "400");
    }

    @Test
    void anyBytesAreAValidProductOrA400() {
        GeneratedCases cases = GeneratedCases.of(1000);

        cases.qt().forAll(GeneratedInput.anyBytes()).checkAssert(body -> cases.count(validOr400(body)));

        cases.assertRan("valid", "400");
    }

    @Test
    void aValidProductIsReadAsWrittenWhateverTheForm() {
        GeneratedCases cases = GeneratedCases.of(1000);

        cases.qt().forAll(GeneratedInput.validBodies()).checkAssert(body -> {
            NewProduct read = ProductJson.read(body.json().getBytes(StandardCharsets.UTF_8));

            assertThat(read).isEqualTo(body.expected());
            assertThat(read.fingerprint()).as("the Idempotency-Key fingerprint ignores the form").isEqualTo(body.expected().fingerprint());
            cases.count(body.stock() == null ? "no stock" : "stock");
        });

        cases.assertRan("stock", "no stock");
    }

    /** "valid" or "400"; any other answer fails. */
    private static String validOr400(byte[] body) {
        try {
            NewProduct product = ProductJson.read(body);
            int length = product.name().codePointCount(0, product.name().length());
            assertThat(length).isBetween(1, ProductRules.MAX_NAME_LENGTH);
            assertThat(product.name()).isNotBlank().doesNotContain("\u0000");
            assertThat(product.price()).isBetween(BigDecimal.ZERO, new BigDecimal("9999999999.99"));
            assertThat(product.price().scale()).isEqualTo(2);
            assertThat(product.stock()).isNotNegative();
            return "valid";
        } catch (Problem problem) {
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.detail()).isNotBlank().doesNotContain("Exception");
            return "400";
        }
    }
}
