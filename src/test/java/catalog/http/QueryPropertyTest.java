package catalog.http;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.products.GeneratedCases;
import catalog.products.GeneratedInput;
import catalog.products.GeneratedValues;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Generated query strings (QuickTheories): limit and after within their bounds, or a 400; nothing else. */
class QueryPropertyTest {
    @Test
    void boundsHoldOrTheQueryIsA400() {
        GeneratedCases cases = GeneratedCases.of(2000);
        // Also raw text that is no query at all: stray '%', '&&', '=' without a name.
        Gen<String> queries = GeneratedValues.oneOf(GeneratedInput.queryStrings(),
                GeneratedValues.textOf("limit=after&%0123456789abcdef+-", 0, 30)).describedAs(GeneratedValues::literal);

        cases.qt().forAll(queries).checkAssert(rawQuery -> {
            try {
                Query query = Query.parse(rawQuery);
                long limit = query.integer("limit", 20, 1, 100);
                long after = query.integer("after", 0, 0, Long.MAX_VALUE);
                assertThat(limit).isBetween(1L, 100L);
                assertThat(after).isNotNegative();
                cases.count("page");
            } catch (Problem problem) {
                assertThat(problem.status()).isEqualTo(400);
                cases.count("400");
            }
        });

        cases.assertRan("page", "400");
    }
}
