package catalog.products;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.http.Problem;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated bodies (jqwik) through the body parser and validator: every body is either a product
 * that keeps the rules or a 400 with a detail, never any other failure; and every valid product
 * is read as written, however it is written.
 */
class ProductJsonPropertyTest {
    @Property(tries = 2000)
    void anyBodyIsAValidProductOrA400(@ForAll("anyBodies") String body) {
        assertValidOr400(body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 1000)
    void anyBytesAreAValidProductOrA400(@ForAll byte[] body) {
        assertValidOr400(body);
    }

    @Property(tries = 1000)
    void aValidProductIsReadAsWrittenWhateverTheForm(@ForAll("validBodies") GeneratedInput.ProductBody body) {
        NewProduct read = ProductJson.read(body.json().getBytes(StandardCharsets.UTF_8));

        assertThat(read).isEqualTo(body.expected());
        assertThat(read.fingerprint()).as("the Idempotency-Key fingerprint ignores the form").isEqualTo(body.expected().fingerprint());
    }

    @Provide
    Arbitrary<String> anyBodies() {
        return GeneratedInput.anyBodies();
    }

    @Provide
    Arbitrary<GeneratedInput.ProductBody> validBodies() {
        return GeneratedInput.validBodies();
    }

    private static void assertValidOr400(byte[] body) {
        try {
            NewProduct product = ProductJson.read(body);
            Statistics.collect("valid");
            int length = product.name().codePointCount(0, product.name().length());
            assertThat(length).isBetween(1, ProductRules.MAX_NAME_LENGTH);
            assertThat(product.name()).isNotBlank().doesNotContain("\u0000");
            assertThat(product.price()).isBetween(BigDecimal.ZERO, new BigDecimal("9999999999.99"));
            assertThat(product.price().scale()).isEqualTo(2);
            assertThat(product.stock()).isNotNegative();
        } catch (Problem problem) {
            Statistics.collect("400");
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.detail()).isNotBlank().doesNotContain("Exception");
        }
    }
}
