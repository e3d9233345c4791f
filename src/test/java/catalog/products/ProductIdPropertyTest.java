package catalog.products;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.http.Problem;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Generated id segments (QuickTheories): an id from 1 to 2^63-1 written in ASCII digits, or a 400. */
class ProductIdPropertyTest {
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    @Test
    void anIdIsInRangeOrA400() {
        GeneratedCases cases = GeneratedCases.of(2000);

        cases.qt().forAll(GeneratedInput.idSegments()).checkAssert(segment -> {
            boolean digits = !segment.isEmpty() && segment.chars().allMatch(c -> c >= '0' && c <= '9');
            boolean inRange = digits && new BigInteger(segment).signum() > 0 && new BigInteger(segment).compareTo(MAX) <= 0;
            try {
                long id = ProductHandlers.parseId(segment);
                assertThat(inRange).as("accepted " + segment).isTrue();
                assertThat(BigInteger.valueOf(id)).isEqualTo(new BigInteger(segment));
                cases.count("id");
            } catch (Problem problem) {
                assertThat(inRange).as("refused " + segment).isFalse();
                assertThat(problem.status()).isEqualTo(400);
                cases.count("400");
            }
        });

        cases.assertRan("id", "400");
    }
}
