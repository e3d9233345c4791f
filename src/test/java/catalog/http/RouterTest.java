package catalog.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final Handler list = call -> Reply.json(200, "list");
    private final Handler one = call -> Reply.json(200, "one");
    private final Router router = new Router()
            .get("/products", list)
            .post("/products", list)
            .get("/products/{id}", one)
            .put("/products/{id}", one)
            .delete("/products/{id}", one);

    @Test
    @DisplayName("a path with a parameter routes to its handler and captures the segment")
    void capturesParameters() {
        Router.Match match = router.match("GET", "/products/42");

        assertThat(match.handler()).isSameAs(one);
        assertThat(match.template()).isEqualTo("/products/{id}");
        assertThat(match.parameters()).containsEntry("id", "42");
    }

    @Test
    @DisplayName("a literal path routes by method")
    void routesByMethod() {
        assertThat(router.match("POST", "/products").handler()).isSameAs(list);
        assertThat(router.match("GET", "/products").parameters()).isEmpty();
    }

    @Test
    @DisplayName("an unknown path is a 404")
    void unknownPath() {
        for (String path : new String[] {"/", "/nope", "/products/1/extra", "/products/", "//products"}) {
            Problem problem = catchThrowableOfType(Problem.class, () -> router.match("GET", path));
            assertThat(problem.status()).as(path).isEqualTo(404);
        }
    }

    @Test
    @DisplayName("a known path with the wrong method is a 405 listing the allowed methods")
    void wrongMethod() {
        Router.Match match = router.match("PATCH", "/products/7");
        Problem problem = catchThrowableOfType(Problem.class, () -> match.handler().handle(null));

        assertThat(match.template()).isEqualTo("/products/{id}");
        assertThat(problem.status()).isEqualTo(405);
        Reply reply = problem.toReply("/products/7");
        assertThat(reply.headerValue("Allow")).isEqualTo("GET, PUT, DELETE");
        assertThat(reply.headerValue("Content-Type")).isEqualTo("application/problem+json");
    }
}
