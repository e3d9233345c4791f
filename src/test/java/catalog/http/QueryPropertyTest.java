package catalog.http;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.products.GeneratedInput;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** Generated query strings (jqwik): limit and after within their bounds, or a 400; nothing else. */
class QueryPropertyTest {
    @Property(tries = 2000)
    void boundsHoldOrTheQueryIsA400(@ForAll("queries") String rawQuery) {
        try {
            Query query = Query.parse(rawQuery);
            long limit = query.integer("limit", 20, 1, 100);
            long after = query.integer("after", 0, 0, Long.MAX_VALUE);
            Statistics.collect("page");
            assertThat(limit).isBetween(1L, 100L);
            assertThat(after).isNotNegative();
        } catch (Problem problem) {
            Statistics.collect("400");
            assertThat(problem.status()).isEqualTo(400);
        }
    }

    @Provide
    Arbitrary<String> queries() {
        // Also raw text that is no query at all: stray '%', '&&', '=' without a name.
        return Arbitraries.oneOf(GeneratedInput.queryStrings(),
                Arbitraries.strings().withChars("limit=after&%0123456789abcdef+-").ofMaxLength(30));
    }
}
