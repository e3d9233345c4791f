package catalog;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.contract.OpenApiJson;
import catalog.ops.ApiDocument;
import catalog.products.ProductHandlers;
import com.google.gson.JsonObject;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The routes the API answers and the operations openapi.yaml describes are the same set: a route
 * added without documenting it, or a documented operation the server lacks, fails the build.
 */
class ProductsApiRoutesTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    @Test
    @DisplayName("every route has its operation in openapi.yaml, and every operation there has its route")
    void routesAreTheDocumentsOperations() throws Exception {
        // The handlers are never called here: the wiring is what is compared.
        Set<String> routes = new TreeSet<>(ProductsApi.routes(new ProductHandlers(null), call -> null, call -> null,
                ApiDocument.fromClassPath()).routes());

        JsonObject paths = OpenApiJson.read(OpenApiJson.DOCUMENT).getAsJsonObject("paths");
        Set<String> documented = new TreeSet<>();
        paths.keySet().forEach(path -> paths.getAsJsonObject(path).keySet().stream().filter(METHODS::contains)
                .forEach(method -> documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path)));

        assertThat(routes).as("routes the server answers").isEqualTo(documented);
    }
}
