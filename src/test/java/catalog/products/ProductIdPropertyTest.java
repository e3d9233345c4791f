package catalog.products;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.http.Problem;
import java.math.BigInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** Generated id segments (jqwik): an id from 1 to 2^63-1 written in ASCII digits, or a 400. */
class ProductIdPropertyTest {
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    @Property(tries = 2000)
    void anIdIsInRangeOrA400(@ForAll("idSegments") String segment) {
        boolean digits = !segment.isEmpty() && segment.chars().allMatch(c -> c >= '0' && c <= '9');
        boolean inRange = digits && new BigInteger(segment).signum() > 0 && new BigInteger(segment).compareTo(MAX) <= 0;
        try {
            long id = ProductHandlers.parseId(segment);
            Statistics.collect("id");
            assertThat(inRange).as("accepted " + segment).isTrue();
            assertThat(BigInteger.valueOf(id)).isEqualTo(new BigInteger(segment));
        } catch (Problem problem) {
            Statistics.collect("400");
            assertThat(inRange).as("refused " + segment).isFalse();
            assertThat(problem.status()).isEqualTo(400);
        }
    }

    @Provide
    Arbitrary<String> idSegments() {
        return GeneratedInput.idSegments();
    }
}
