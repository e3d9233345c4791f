package catalog.products;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import catalog.http.Problem;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProductJsonCapTest {
    @Test
    @DisplayName("a body of 13,000 unknown fields gets the first 20 problems and a count of the rest, in a short answer")
    void cappedProblems() {
        StringBuilder body = new StringBuilder("{");
        for (int i = 0; i < 13_000; i++) {
            body.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":1");
        }
        Problem problem = catchThrowableOfType(
                () -> ProductJson.read(body.append('}').toString().getBytes(StandardCharsets.UTF_8)), Problem.class);

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.detail()).contains("unknown field \"f0\"", "unknown field \"f19\"").doesNotContain("\"f20\"")
                .endsWith("; and 12982 more problems");
        assertThat(problem.toReply("/products").body().length).isLessThan(8 * 1024);
    }
}
