package catalog.products;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient.ApiResponse;
import catalog.ApiClient;
import catalog.StandaloneStack;
import catalog.WithStandaloneStack;
import catalog.http.UriPath;
import catalog.report.SpecReport;
import catalog.report.Tally;
import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quicktheories.QuickTheory;
import org.quicktheories.generators.Generate;

/**
 * Generated requests (QuickTheories) against the API on a real PostgreSQL and Redis: bodies, ids
 * and query strings. Each answer is a product that keeps the rules, or a 4xx problem+json whose
 * instance is the request path as a URI reference; never a 5xx. Every exchange also goes through
 * ApiClient's contract check, so the document and the server must agree on every generated
 * request too. The run's shared stack: no property depends on what is or is not in the database
 * (ids are generated, pages are only checked for size); each gets an API of its own. A failure is shrunk and printed with its seed, as in the unit
 * properties ({@link GeneratedCases}); shrinking is shorter here, each attempt being a request.
 */
@Tag("api")
@ExtendWith(WithStandaloneStack.class)
@ExtendWith(SpecReport.class)
class GeneratedRequestsIT {
    private static final String TALLY = "Generated cases (QuickTheories) in GeneratedRequestsIT, every request checked against openapi.yaml";
    private static final int SHRINK_CYCLES = 300;

    private ApiClient api;
    private Tally tally;

    @BeforeEach
    void start(StandaloneStack stack) {
        api = stack.startApi().client();
        tally = Tally.start(TALLY);
    }

    @Test
    void aGeneratedBodyCreatesAValidProductOrIsRefusedWithAProblem() {
        GeneratedCases cases = GeneratedCases.of(300);

        qt(cases).forAll(GeneratedInput.anyBodies()).checkAssert(body -> {
            tally.add("POST /products with a generated body", 1);
            ApiResponse response = api.post("/products", body);

            cases.count(String.valueOf(response.status()));
            if (response.status() == 201) {
                JsonObject product = response.data();
                assertThat(response.header("Location")).isEqualTo("/products/" + product.get("id").getAsLong());
                assertThat(product.get("name").getAsString()).isNotBlank();
                assertThat(product.get("price").getAsBigDecimal()).isBetween(BigDecimal.ZERO, new BigDecimal("9999999999.99"));
                assertThat(product.get("stock").getAsLong()).isBetween(0L, (long) Integer.MAX_VALUE);
            } else {
                assertProblem(response, "/products");
            }
        });

        cases.assertRan("201", "400");
    }

    @Test
    void aValidProductIsCreatedAndReadBackAsWritten() {
        GeneratedCases cases = GeneratedCases.of(200);

        qt(cases).forAll(GeneratedInput.validBodies()).checkAssert(body -> {
            tally.add("POST /products with a generated valid product, then GET it back", 1);
            ApiResponse created = api.post("/products", body.json());

            cases.count(String.valueOf(created.status()));
            assertThat(created.status()).as(body.json()).isEqualTo(201);
            NewProduct expected = body.expected();
            JsonObject product = created.data();
            assertThat(product.get("name").getAsString()).isEqualTo(expected.name());
            assertThat(product.get("price").getAsBigDecimal()).isEqualByComparingTo(expected.price());
            assertThat(product.get("stock").getAsInt()).isEqualTo(expected.stock());
            assertThat(api.get("/products/" + product.get("id").getAsLong()).data()).isEqualTo(product);
        });

        cases.assertRan("201");
    }

    @Test
    void aGeneratedIdIsAnsweredOrRefusedWithAProblem() {
        GeneratedCases cases = GeneratedCases.of(300);

        qt(cases).forAll(GeneratedInput.idSegments(), Generate.pick(List.of("GET", "PUT", "DELETE"))).checkAssert((segment, method) -> {
            tally.add(method + " /products/{generated id}", 1);
            String path = "/products/" + GeneratedInput.encode(segment);
            ApiResponse response = api.send(method, path, method.equals("PUT") ? ApiClient.product("x", "1.00", 0) : null,
                    method.equals("PUT") ? "application/json" : null);

            boolean isId = segment.chars().allMatch(c -> c >= '0' && c <= '9') && !segment.isEmpty()
                    && new BigInteger(segment).signum() > 0 && new BigInteger(segment).compareTo(BigInteger.valueOf(Long.MAX_VALUE)) <= 0;
            cases.count(String.valueOf(response.status()));
            if (isId) {
                assertThat(response.status()).isIn(200, 204, 404);
            } else {
                assertThat(response.status()).isEqualTo(400);
            }
            if (response.status() >= 400) {
                assertProblem(response, UriPath.reference(path));
            }
        });

        cases.assertRan("404", "400");
    }

    @Test
    void aGeneratedQueryGivesAPageOrAProblem() {
        GeneratedCases cases = GeneratedCases.of(300);

        qt(cases).forAll(GeneratedInput.queryStrings()).checkAssert(query -> {
            tally.add("GET /products?{generated query}", 1);
            ApiResponse response = api.get("/products?" + query);

            cases.count(String.valueOf(response.status()));
            if (response.status() == 200) {
                assertThat(response.json().getAsJsonArray("data").size()).isBetween(0, 100);
            } else {
                assertThat(response.status()).isEqualTo(400);
                assertProblem(response, "/products");
            }
        });

        cases.assertRan("200", "400");
    }

    private static QuickTheory qt(GeneratedCases cases) {
        return cases.qt().withShrinkCycles(SHRINK_CYCLES);
    }

    private static void assertProblem(ApiResponse response, String instance) {
        assertThat(response.status()).isBetween(400, 499);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.json().get("status").getAsInt()).isEqualTo(response.status());
        assertThat(response.json().get("instance").getAsString()).isEqualTo(instance);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
