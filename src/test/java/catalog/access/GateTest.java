package catalog.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import catalog.http.Problem;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Who may do what: one test per rule of {@link Gate}. */
class GateTest {
    private static final ApiKeys KEYS = ApiKeys.parse(List.of(
            "alice:" + ApiKeys.digestOf("alice-key"), "auditor:" + ApiKeys.digestOf("auditor-key") + ":read"));
    private final Gate gate = new Gate(KEYS, false);

    private static List<String> bearer(String key) {
        return List.of("Bearer " + key);
    }

    private static Problem refusal(Runnable admit) {
        try {
            admit.run();
        } catch (Problem problem) {
            return problem;
        }
        throw new AssertionError("admitted");
    }

    @Test
    @DisplayName("a write without a key is a 401 with a Bearer challenge for the realm")
    void writeWithoutKey() {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            Problem problem = refusal(() -> gate.admit(method, List.of()));
            assertThat(problem.status()).isEqualTo(401);
            assertThat(problem.toReply("/products").headerValue("WWW-Authenticate")).isEqualTo("Bearer realm=\"products\"");
        }
    }

    @Test
    @DisplayName("a write with a key nobody was given is a 401 saying the token is invalid")
    void unknownKey() {
        Problem problem = refusal(() -> gate.admit("POST", bearer("guess")));
        assertThat(problem.status()).isEqualTo(401);
        assertThat(problem.toReply("/products").headerValue("WWW-Authenticate"))
                .isEqualTo("Bearer realm=\"products\", error=\"invalid_token\"");
    }

    @Test
    @DisplayName("an Authorization header that is not one Bearer key is a 401")
    void notBearer() {
        assertThat(refusal(() -> gate.admit("POST", List.of("Basic YWxpY2U6eA=="))).status()).isEqualTo(401);
        assertThat(refusal(() -> gate.admit("POST", List.of("Bearer "))).status()).isEqualTo(401);
        assertThat(refusal(() -> gate.admit("POST", List.of("Bearer alice-key", "Bearer alice-key"))).status()).isEqualTo(401);
    }

    @Test
    @DisplayName("a write with a known key is admitted as its client; the scheme's case does not matter")
    void knownKey() {
        assertThat(gate.admit("POST", bearer("alice-key")).name()).isEqualTo("alice");
        assertThat(gate.admit("DELETE", List.of("bearer alice-key")).name()).isEqualTo("alice");
    }

    @Test
    @DisplayName("a read-only key may read but a write with it is a 403")
    void readOnlyKey() {
        assertThat(gate.admit("GET", bearer("auditor-key")).name()).isEqualTo("auditor");
        assertThat(refusal(() -> gate.admit("PUT", bearer("auditor-key"))).status()).isEqualTo(403);
    }

    @Test
    @DisplayName("reads are open by default and need a key when configured so")
    void reads() {
        assertThat(gate.admit("GET", List.of())).isEqualTo(Client.ANONYMOUS);
        assertThat(refusal(() -> new Gate(KEYS, true).admit("GET", List.of())).status()).isEqualTo(401);
        assertThat(new Gate(KEYS, true).admit("GET", bearer("alice-key")).name()).isEqualTo("alice");
    }

    @Test
    @DisplayName("with no key configured every write is refused")
    void noKeys() {
        assertThat(refusal(() -> new Gate(ApiKeys.NONE, false).admit("POST", bearer("anything"))).status()).isEqualTo(401);
    }
}
