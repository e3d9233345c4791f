package catalog.products;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import catalog.StandaloneStack;
import catalog.http.UriPath;
import catalog.report.Tally;
import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated requests (jqwik) against the API on a real PostgreSQL and Redis: bodies, ids and query
 * strings. Each answer is a product that keeps the rules, or a 4xx problem+json whose instance is
 * the request path as a URI reference; never a 5xx. Every exchange also goes through ApiClient's
 * contract check, so the document and the server must agree on every generated request too.
 * One stack per property (jqwik's own lifecycle; each takes a few seconds to start).
 */
class GeneratedRequestsIT {
    private static final String TALLY = "Generated cases (jqwik) in GeneratedRequestsIT, every request checked against openapi.yaml";

    private StandaloneStack stack;
    private ApiClient api;
    private Tally tally;

    @BeforeProperty
    void start() {
        stack = StandaloneStack.start();
        api = stack.startApi().client();
        tally = Tally.start(TALLY);
    }

    @AfterProperty
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Property(tries = 300)
    void aGeneratedBodyCreatesAValidProductOrIsRefusedWithAProblem(@ForAll("anyBodies") String body) {
        tally.add("POST /products with a generated body", 1);
        ApiResponse response = api.post("/products", body);

        if (response.status() == 201) {
            Statistics.collect("201");
            JsonObject product = response.data();
            assertThat(response.header("Location")).isEqualTo("/products/" + product.get("id").getAsLong());
            assertThat(product.get("name").getAsString()).isNotBlank();
            assertThat(product.get("price").getAsBigDecimal()).isBetween(BigDecimal.ZERO, new BigDecimal("9999999999.99"));
            assertThat(product.get("stock").getAsLong()).isBetween(0L, (long) Integer.MAX_VALUE);
        } else {
            Statistics.collect(String.valueOf(response.status()));
            assertProblem(response, "/products");
        }
    }

    @Property(tries = 200)
    void aValidProductIsCreatedAndReadBackAsWritten(@ForAll("validBodies") GeneratedInput.ProductBody body) {
        tally.add("POST /products with a generated valid product, then GET it back", 1);
        ApiResponse created = api.post("/products", body.json());

        assertThat(created.status()).as(body.json()).isEqualTo(201);
        NewProduct expected = body.expected();
        JsonObject product = created.data();
        assertThat(product.get("name").getAsString()).isEqualTo(expected.name());
        assertThat(product.get("price").getAsBigDecimal()).isEqualByComparingTo(expected.price());
        assertThat(product.get("stock").getAsInt()).isEqualTo(expected.stock());
        assertThat(api.get("/products/" + product.get("id").getAsLong()).data()).isEqualTo(product);
    }

    @Property(tries = 300)
    void aGeneratedIdIsAnsweredOrRefusedWithAProblem(@ForAll("idSegments") String segment, @ForAll("methods") String method) {
        tally.add(method + " /products/{generated id}", 1);
        String path = "/products/" + GeneratedInput.encode(segment);
        ApiResponse response = api.send(method, path, method.equals("PUT") ? ApiClient.product("x", "1.00", 0) : null,
                method.equals("PUT") ? "application/json" : null);

        boolean isId = segment.chars().allMatch(c -> c >= '0' && c <= '9') && !segment.isEmpty()
                && new BigInteger(segment).signum() > 0 && new BigInteger(segment).compareTo(BigInteger.valueOf(Long.MAX_VALUE)) <= 0;
        Statistics.collect(String.valueOf(response.status()));
        if (isId) {
            assertThat(response.status()).isIn(200, 204, 404);
        } else {
            assertThat(response.status()).isEqualTo(400);
        }
        if (response.status() >= 400) {
            assertProblem(response, UriPath.reference(path));
        }
    }

    @Property(tries = 300)
    void aGeneratedQueryGivesAPageOrAProblem(@ForAll("queries") String query) {
        tally.add("GET /products?{generated query}", 1);
        ApiResponse response = api.get("/products?" + query);

        Statistics.collect(String.valueOf(response.status()));
        if (response.status() == 200) {
            assertThat(response.json().getAsJsonArray("data").size()).isBetween(0, 100);
        } else {
            assertThat(response.status()).isEqualTo(400);
            assertProblem(response, "/products");
        }
    }

    private static void assertProblem(ApiResponse response, String instance) {
        assertThat(response.status()).isBetween(400, 499);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.json().get("status").getAsInt()).isEqualTo(response.status());
        assertThat(response.json().get("instance").getAsString()).isEqualTo(instance);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Provide
    Arbitrary<String> anyBodies() {
        return GeneratedInput.anyBodies();
    }

    @Provide
    Arbitrary<GeneratedInput.ProductBody> validBodies() {
        return GeneratedInput.validBodies();
    }

    @Provide
    Arbitrary<String> idSegments() {
        return GeneratedInput.idSegments();
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "PUT", "DELETE");
    }

    @Provide
    Arbitrary<String> queries() {
        return GeneratedInput.queryStrings();
    }
}
