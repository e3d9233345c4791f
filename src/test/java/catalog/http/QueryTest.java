package catalog.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QueryTest {
    @Test
    @DisplayName("integer parameters are read within their bounds, absent ones take the default")
    void integers() {
        Query query = Query.parse("limit=10&after=0");

        assertThat(query.integer("limit", 20, 1, 100)).isEqualTo(10);
        assertThat(query.integer("after", 5, 0, Long.MAX_VALUE)).isZero();
        assertThat(Query.parse(null).integer("limit", 20, 1, 100)).isEqualTo(20);
    }

    @Test
    @DisplayName("a parameter the API does not read is ignored, also when given twice")
    void unknownParametersAreIgnored() {
        // Found by GeneratedRequestsIT: "A=1&A=1" was a 400 although A alone is ignored.
        assertThat(Query.parse("A=1&A=1&limit=5").integer("limit", 20, 1, 100)).isEqualTo(5);
    }

    @Test
    @DisplayName("out-of-range, non-numeric, overflowing and repeated parameters are 400s")
    void rejects() {
        for (String raw : new String[] {"limit=0", "limit=101", "limit=abc", "limit=-1", "limit=", "limit=1.5",
                "limit=99999999999999999999", "limit=9223372036854775808"}) {
            assertThatThrownBy(() -> Query.parse(raw).integer("limit", 20, 1, 100)).as(raw)
                    .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(400));
        }
        assertThatThrownBy(() -> Query.parse("limit=1&limit=2").integer("limit", 20, 1, 100)).isInstanceOf(Problem.class);
        assertThatThrownBy(() -> Query.parse("limit=%zz")).isInstanceOf(Problem.class);
    }
}
