package catalog.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract check itself, on exchanges written by hand: it passes what the document describes
 * and fails what it does not. (A check that cannot fail would make every IT's validation a no-op.)
 */
class ContractTest {
    private static final Contract CONTRACT = Contract.load();
    private static final String JSON = "application/json";
    private static final String PROBLEM = "application/problem+json";
    private static final String PRODUCT = "{\"id\":7,\"name\":\"Clavier\",\"price\":49.90,\"stock\":12}";

    private static Contract.Verdict check(String method, String path, String body, int status, String responseBody,
                                          String... responseHeaders) {
        // Writes carry an API key (the document's bearerAuth), as ApiClient sends one.
        Map<String, List<String>> request = body == null ? Map.of()
                : Map.of("Content-Type", List.of(JSON), "Authorization", List.of("Bearer some-key"));
        java.util.Map<String, List<String>> response = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < responseHeaders.length; i += 2) {
            response.put(responseHeaders[i], List.of(responseHeaders[i + 1]));
        }
        return CONTRACT.check(new Exchange(method, path, request, body, status, response, responseBody));
    }

    private static String problem(int status, String instance) {
        return "{\"type\":\"about:blank\",\"title\":\"T\",\"status\":" + status + ",\"detail\":\"d\",\"instance\":\"" + instance + "\"}";
    }

    @Test
    @DisplayName("a create, a cache hit, a page and a problem as the server writes them keep the contract")
    void keptExchanges() {
        assertThat(check("POST", "/products", "{\"name\":\"Clavier\",\"price\":49.90,\"stock\":12}", 201,
                "{\"data\":" + PRODUCT + "}", "content-type", JSON, "location", "/products/7").violations()).isEmpty();
        assertThat(check("GET", "/products/7", null, 200, "{\"source\":\"cache\",\"data\":" + PRODUCT + "}",
                "content-type", JSON, "x-cache", "HIT").violations()).isEmpty();
        assertThat(check("GET", "/products?limit=1&after=6", null, 200, "{\"data\":[" + PRODUCT + "],\"next\":\"/products?limit=1&after=7\"}",
                "content-type", JSON, "x-served-by", "replica").violations()).isEmpty();
        assertThat(check("GET", "/products/abc", null, 400, problem(400, "/products/abc"), "content-type", PROBLEM).violations()).isEmpty();
        assertThat(check("GET", "/nowhere", null, 404, problem(404, "/nowhere"), "content-type", PROBLEM).violations()).isEmpty();
        assertThat(CONTRACT.check(new Exchange("DELETE", "/products/7", Map.of(), null, 401, Map.of("content-type", List.of(PROBLEM),
                "www-authenticate", List.of("Bearer realm=\"products\"")), problem(401, "/products/7"))).violations())
                .as("a write without a key, refused").isEmpty();
        assertThat(check("PATCH", "/products/7", null, 405, problem(405, "/products/7"), "content-type", PROBLEM,
                "allow", "GET, PUT, DELETE").violations()).isEmpty();
    }

    @Test
    @DisplayName("an undocumented status, a missing header, an extra field or a decoded instance breaks it")
    void brokenResponses() {
        assertThat(check("GET", "/products/7", null, 418, problem(418, "/products/7"), "content-type", PROBLEM).violations())
                .anyMatch(v -> v.contains("status.unknown"));
        assertThat(check("POST", "/products", "{\"name\":\"x\",\"price\":1}", 201, "{\"data\":" + PRODUCT + "}",
                "content-type", JSON).violations()).anyMatch(v -> v.contains("Location"));
        assertThat(check("GET", "/products/7", null, 200, "{\"source\":\"cache\",\"data\":" + PRODUCT.replace("}", ",\"colour\":1}") + "}",
                "content-type", JSON, "x-cache", "HIT").violations()).as("an extra field").isNotEmpty();
        assertThat(check("GET", "/products/abc", null, 400, problem(400, "/products/a b"), "content-type", PROBLEM).violations())
                .anyMatch(v -> v.contains("instance"));
        assertThat(check("GET", "/products/7", null, 503, problem(503, "/products/7"), "content-type", PROBLEM).violations())
                .anyMatch(v -> v.contains("Retry-After"));
        assertThat(check("GET", "/products/7", null, 500, problem(500, "/products/7"), "content-type", PROBLEM).violations())
                .anyMatch(v -> v.contains("a bug"));
        assertThat(check("GET", "/products", null, 200, "{\"data\":[],\"next\":5}", "content-type", JSON,
                "x-served-by", "replica").violations()).isNotEmpty();
    }

    @Test
    @DisplayName("the document and the server must agree on which requests are bad")
    void agreementOnRequests() {
        // The departure: the server refused a stock the document did not bound.
        Contract.Verdict stock = check("POST", "/products", "{\"name\":\"x\",\"price\":1,\"stock\":2147483648}", 400,
                problem(400, "/products"), "content-type", PROBLEM);
        assertThat(stock.requestAccepted()).as("the document bounds stock").isFalse();
        assertThat(stock.violations()).isEmpty();

        assertThat(check("POST", "/products", "{\"name\":\"x\",\"price\":1}", 400, problem(400, "/products"),
                "content-type", PROBLEM).violations()).anyMatch(v -> v.contains("the document accepts this request"));
        assertThat(check("POST", "/products", "{\"name\":\"x\",\"price\":1,\"prcie\":2}", 201, "{\"data\":" + PRODUCT + "}",
                "content-type", JSON, "location", "/products/7").violations()).anyMatch(v -> v.contains("the document refuses"));
        // The validator reads 1E-400 as the double 0 (a multiple of 0.01); its exact value is not.
        Contract.Verdict tiny = check("POST", "/products", "{\"name\":\"x  \",\"price\":1E-400,\"stock\":0}", 400,
                problem(400, "/products"), "content-type", PROBLEM);
        assertThat(tiny.requestAccepted()).isFalse();
        assertThat(tiny.violations()).isEmpty();
        assertThat(check("POST", "/products", "{\"name\":\"x\",\"price\":49.900000000,\"stock\":0}", 201,
                "{\"data\":" + PRODUCT + "}", "content-type", JSON, "location", "/products/7").requestAccepted()).isTrue();
        // The validator alone reads " 1" as the integer 1; the document says integer, the server refuses it.
        assertThat(check("GET", "/products/%201", null, 400, problem(400, "/products/%201"), "content-type", PROBLEM)
                .requestAccepted()).isFalse();
        assertThat(check("GET", "/products?limit=+5", null, 400, problem(400, "/products"), "content-type", PROBLEM)
                .requestAccepted()).isFalse();
        // Found by the generated queries: the validator parses a parameter as JSON, where 0100 is
        // no number; the document's integers allow leading zeros, as the server reads them.
        assertThat(check("GET", "/products?limit=0100", null, 200, "{\"data\":[],\"next\":null}", "content-type", JSON,
                "x-served-by", "replica").violations()).isEmpty();
        assertThat(check("GET", "/products?limit=0101", null, 400, problem(400, "/products"), "content-type", PROBLEM)
                .requestAccepted()).as("101 written 0101 is still over the bound").isFalse();
        assertThat(check("GET", "/products/007", null, 200, "{\"source\":\"cache\",\"data\":" + PRODUCT + "}",
                "content-type", JSON, "x-cache", "HIT").violations()).isEmpty();
        Map<String, List<String>> noType = Map.of();
        assertThat(CONTRACT.check(new Exchange("POST", "/products", noType, "{\"name\":\"x\",\"price\":1}", 415,
                Map.of("content-type", List.of(PROBLEM), "accept-post", List.of(JSON)), problem(415, "/products"))).violations())
                .as("a body without Content-Type").isEmpty();
    }

    @Test
    @DisplayName("an unknown path must get the 404 problem, a wrong method the 405 with the document's methods in Allow")
    void genericAnswers() {
        assertThat(check("GET", "/produits", null, 200, "{}", "content-type", JSON).violations()).isNotEmpty();
        assertThat(check("GET", "/produits", null, 404, "{\"error\":1}", "content-type", PROBLEM).violations()).isNotEmpty();
        assertThat(check("DELETE", "/products", null, 405, problem(405, "/products"), "content-type", PROBLEM,
                "allow", "GET").violations()).anyMatch(v -> v.contains("Allow"));
    }
}
