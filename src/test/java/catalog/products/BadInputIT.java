package catalog.products;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient.ApiResponse;
import catalog.ApiClient;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad request gets a 4xx problem+json with a clear detail, writes nothing, and leaves
 * the server serving. Each case runs against a product that exists, so PUT cases really could
 * have overwritten something.
 */
@DisplayName("Bad input")
class BadInputIT extends ApiOnTheStandaloneStack {
    private static final String VALID = ApiClient.product("valid", "1.00", 1);
    private static final String BIG = "{\"name\":\"" + "x".repeat(70_000) + "\",\"price\":1}";

    private long existing;
    private long rowsBefore;
    private String existingRow;
    private String keysBefore;

    @BeforeAll
    void createTheExistingProduct() {
        existing = api.create("existing", "10.00", 1);
    }

    @BeforeEach
    void snapshot() {
        rowsBefore = stack.productRows();
        existingRow = stack.productRow(existing);
        keysBefore = stack.query("SELECT count(*) FROM idempotency_keys");
    }

    @AfterEach
    void nothingWrittenAndStillServing() {
        assertThat(stack.productRows()).as("rows after a bad request").isEqualTo(rowsBefore);
        assertThat(stack.productRow(existing)).isEqualTo(existingRow);
        ApiResponse after = api.get("/products/" + existing);
        assertThat(after.status()).as("the server still serves").isEqualTo(200);
    }

    static Stream<Arguments> badRequests() {
        String p = "/products";
        String one = "/products/{existing}";
        return Stream.of(
                bad("malformed JSON", "POST", p, "{\"name\":\"x\",", "application/json", 400, "not valid JSON"),
                bad("not an object", "POST", p, "[]", "application/json", 400, "JSON object"),
                bad("empty body", "POST", p, "", "application/json", 400, "not valid JSON"),
                bad("name of the wrong type", "POST", p, "{\"name\":1,\"price\":1}", "application/json", 400, "name must be a string"),
                bad("price of the wrong type", "POST", p, "{\"name\":\"x\",\"price\":\"1\"}", "application/json", 400, "price must be a number"),
                bad("stock of the wrong type", "POST", p, "{\"name\":\"x\",\"price\":1,\"stock\":true}", "application/json", 400, "stock must be an integer"),
                bad("missing name", "POST", p, "{\"price\":1}", "application/json", 400, "name is required"),
                bad("missing price", "POST", p, "{\"name\":\"x\"}", "application/json", 400, "price is required"),
                bad("unknown field", "POST", p, "{\"name\":\"x\",\"price\":1,\"colour\":\"red\"}", "application/json", 400, "unknown field"),
                bad("negative price", "POST", p, "{\"name\":\"x\",\"price\":-0.01}", "application/json", 400, "price must be >= 0"),
                bad("over-precise price", "POST", p, "{\"name\":\"x\",\"price\":1.001}", "application/json", 400, "at most 2 decimals"),
                // Found by GeneratedRequestsIT: a double reads it as 0, its exact value has 400 decimals.
                bad("price below a double's range", "POST", p, "{\"name\":\"x\",\"price\":1E-400}", "application/json", 400, "at most 2 decimals"),
                bad("price too large for NUMERIC(12,2)", "POST", p, "{\"name\":\"x\",\"price\":1e10}", "application/json", 400, "less than"),
                bad("negative stock", "POST", p, "{\"name\":\"x\",\"price\":1,\"stock\":-1}", "application/json", 400, "stock must be from 0"),
                bad("stock beyond a PostgreSQL INTEGER", "POST", p, "{\"name\":\"x\",\"price\":1,\"stock\":2147483648}", "application/json", 400, "stock must be from 0 to 2147483647"),
                bad("empty name", "POST", p, "{\"name\":\"\",\"price\":1}", "application/json", 400, "must not be empty"),
                bad("name too long", "POST", p, "{\"name\":\"" + "é".repeat(201) + "\",\"price\":1}", "application/json", 400, "at most 200"),
                bad("NUL in the name", "POST", p, "{\"name\":\"a\\u0000b\",\"price\":1}", "application/json", 400, "NUL"),
                bad("body over 64 KiB", "POST", p, BIG, "application/json", 413, "must not exceed 65536 bytes"),
                bad("wrong Content-Type", "POST", p, VALID, "text/plain", 415, "must be application/json"),
                bad("no Content-Type", "POST", p, VALID, null, 415, "must be application/json"),
                bad("PUT with an over-precise price", "PUT", one, "{\"name\":\"x\",\"price\":1.999}", "application/json", 400, "at most 2 decimals"),
                bad("PUT with an unknown field", "PUT", one, "{\"name\":\"x\",\"price\":1,\"id\":5}", "application/json", 400, "unknown field"),
                bad("PUT over 64 KiB", "PUT", one, BIG, "application/json", 413, "must not exceed"),
                bad("PUT with the wrong Content-Type", "PUT", one, VALID, "application/xml", 415, "must be application/json"),
                bad("non-numeric id", "GET", "/products/abc", null, null, 400, "product id must be an integer"),
                bad("negative id", "GET", "/products/-1", null, null, 400, "product id must be an integer"),
                bad("zero id", "DELETE", "/products/0", null, null, 400, "product id must be an integer"),
                bad("id beyond 64 bits", "PUT", "/products/9223372036854775808", VALID, "application/json", 400, "product id must be an integer"),
                bad("id with SQL in it", "GET", "/products/1%20OR%201=1", null, null, 400, "product id must be an integer"),
                bad("id that is a backtick", "GET", "/products/%60", null, null, 400, "product id must be an integer"),
                // Found by GeneratedRequestsIT: the validator read " 1" and " 5" as integers; they are not.
                bad("id with a leading space", "GET", "/products/%201", null, null, 400, "product id must be an integer"),
                bad("id with a plus sign", "GET", "/products/+1", null, null, 400, "product id must be an integer"),
                bad("limit with a leading space", "GET", "/products?limit=%205", null, null, 400, "limit must be an integer"),
                bad("id with an encoded slash", "GET", "/products/1%2F2", null, null, 400, "product id must be an integer"),
                bad("limit out of range", "GET", "/products?limit=101", null, null, 400, "limit must be an integer from 1 to 100"),
                bad("limit zero", "GET", "/products?limit=0", null, null, 400, "limit must be"),
                bad("after not a number", "GET", "/products?after=x", null, null, 400, "after must be"),
                bad("limit given twice", "GET", "/products?limit=1&limit=2", null, null, 400, "given more than once"),
                bad("unknown id", "GET", "/products/987654321", null, null, 404, "no product with id 987654321"),
                bad("PUT to an unknown id", "PUT", "/products/987654321", VALID, "application/json", 404, "no product"),
                bad("DELETE of an unknown id", "DELETE", "/products/987654321", null, null, 404, "no product"),
                bad("wrong method", "PATCH", one, VALID, "application/json", 405, "PATCH is not allowed"),
                bad("wrong method on the collection", "DELETE", p, null, null, 405, "allowed: GET, POST"),
                bad("unknown path", "GET", "/produits", null, null, 404, "no resource at /produits"));
    }

    private static Arguments bad(String name, String method, String path, String body, String type, int status, String detail) {
        return Arguments.of(name, method, path, body, type, status, detail);
    }

    @ParameterizedTest(name = "{0}: {5}")
    @MethodSource("badRequests")
    @DisplayName("is answered with a problem document and writes nothing")
    void isRefused(String name, String method, String path, String body, String type, int status, String detail) {
        ApiResponse response = api.send(method, path.replace("{existing}", String.valueOf(existing)), body, type);

        assertRefused(response, name, status, detail);
        if (status == 405) {
            assertThat(response.header("Allow")).isNotBlank();
        }
    }

    static Stream<Arguments> badKeys() {
        return Stream.of(
                Arguments.of("empty", "", "is empty"),
                Arguments.of("only quotes", "\"\"", "is empty"),
                Arguments.of("256 characters", "k".repeat(256), "longer than 255"),
                Arguments.of("a space inside", "two words", "visible ASCII"),
                Arguments.of("a backslash", "a\\b", "visible ASCII"));
    }

    @ParameterizedTest(name = "Idempotency-Key {0}")
    @MethodSource("badKeys")
    @DisplayName("a bad Idempotency-Key is a 400 before anything is stored")
    void badIdempotencyKey(String name, String key, String detail) {
        ApiResponse response = api.post("/products", VALID, "Idempotency-Key", key);

        assertRefused(response, name, 400, detail);
        assertThat(stack.query("SELECT count(*) FROM idempotency_keys")).isEqualTo(keysBefore);
    }

    @ParameterizedTest(name = "{0} -> instance {1}")
    @org.junit.jupiter.params.provider.CsvSource({
            "/products/%60, /products/%60",
            "/products/caf%C3%A9, /products/caf%C3%A9",
            "/products/a%20b, /products/a%20b",
            "/produits/%e2%82%ac, /produits/%E2%82%AC"})
    @DisplayName("a problem's instance is the request path as a URI reference, never the decoded text")
    void instanceIsAUriReference(String path, String instance) {
        ApiResponse response = api.get(path);

        assertThat(response.status()).isIn(400, 404);
        assertThat(response.json().get("instance").getAsString()).isEqualTo(instance);
    }

    private static void assertRefused(ApiResponse response, String name, int status, String detail) {
        assertThat(response.status()).as(name).isEqualTo(status);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.json().get("status").getAsInt()).isEqualTo(status);
        assertThat(response.json().get("detail").getAsString()).contains(detail);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
