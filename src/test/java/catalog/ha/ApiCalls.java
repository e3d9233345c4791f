package catalog.ha;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;

/**
 * The API requests the failover scenarios repeat: a product write and a read that must reach the
 * database (a page of products: never cached). Anything but success throws, naming the status and
 * Retry-After, so a probe records it as a failure with its reason.
 */
final class ApiCalls {
    private final ApiClient api;

    ApiCalls(ApiClient api) {
        this.api = api;
    }

    /** POST /products; the new id on 201. */
    long write() {
        ApiResponse response = api.post("/products", ApiClient.product("failover", "1.00", 1));
        if (response.status() != 201) {
            throw new Refused(response);
        }
        return response.data().get("id").getAsLong();
    }

    /** GET /products?limit=1 (from the database); which role served it, from X-Served-By. */
    String read() {
        ApiResponse response = api.get("/products?limit=1");
        if (response.status() != 200) {
            throw new Refused(response);
        }
        return response.header("X-Served-By");
    }

    /** Whether GET /products/{id} finds the product. */
    boolean exists(long id) {
        return api.get("/products/" + id).status() == 200;
    }

    /** A non-success answer; its message reads e.g. "503 Retry-After=2". */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(ApiResponse response) {
            super(response.status() + " Retry-After=" + response.header("Retry-After") + " "
                    + response.contentType());
        }
    }
}
