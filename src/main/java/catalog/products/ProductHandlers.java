package catalog.products;

import catalog.cache.CacheLookup;
import catalog.db.Served;
import catalog.http.Call;
import catalog.http.Decimal;
import catalog.http.Problem;
import catalog.http.Reply;
import catalog.http.Router;
import java.util.List;
import java.util.Optional;

/** HTTP in and out for /products: parse and check the request, call the service, shape the reply. */
public final class ProductHandlers {
    static final int DEFAULT_PAGE = 20;
    static final int MAX_PAGE = 100;
    /** After a 409 the first request is usually done within a second: its answer is then replayed. */
    static final int KEY_IN_PROGRESS_RETRY_SECONDS = 1;
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final ProductService service;

    public ProductHandlers(ProductService service) {
        this.service = service;
    }

    public Router routes(Router router) {
        return router
                .get("/products", this::list)
                .post("/products", this::create)
                .get("/products/{id}", this::get)
                .put("/products/{id}", this::replace)
                .delete("/products/{id}", this::delete);
    }

    Reply get(Call call) {
        long id = id(call);
        ProductRead read = service.get(id).orElseThrow(() -> notFound(id));
        StringBuilder body = new StringBuilder(read.json().length() + 64);
        Reply reply;
        if (read.fromCache()) {
            body.append("{\"source\":\"cache\",\"data\":").append(read.json()).append('}');
            reply = Reply.json(200, body).header("X-Cache", "HIT");
        } else {
            boolean available = read.cache() != CacheLookup.Status.UNAVAILABLE;
            body.append("{\"source\":\"database\",\"cache\":\"").append(available ? "available" : "unavailable")
                    .append("\",\"data\":").append(read.json()).append('}');
            reply = Reply.json(200, body).header("X-Cache", available ? "MISS" : "BYPASS")
                    .header("X-Served-By", read.servedBy().label());
        }
        return reply;
    }

    Reply list(Call call) {
        long after = call.query().integer("after", 0, 0, Long.MAX_VALUE);
        int limit = (int) call.query().integer("limit", DEFAULT_PAGE, 1, MAX_PAGE);
        // One row more than the page: only if it exists is there a next page, so the last page says
        // next: null even when exactly `limit` products were left.
        Served<List<Product>> page = service.page(after, limit + 1);
        boolean more = page.value().size() > limit;
        List<Product> products = more ? page.value().subList(0, limit) : page.value();
        StringBuilder body = new StringBuilder(64 + products.size() * 96).append("{\"data\":[");
        for (int i = 0; i < products.size(); i++) {
            if (i > 0) {
                body.append(',');
            }
            products.get(i).appendJson(body);
        }
        body.append("],\"next\":");
        if (more) {
            body.append("\"/products?limit=").append(limit).append("&after=")
                    .append(products.get(products.size() - 1).id()).append('"');
        } else {
            body.append("null");
        }
        return Reply.json(200, body.append('}')).header("X-Served-By", page.role().label());
    }

    Reply create(Call call) throws java.io.IOException {
        Optional<IdempotencyKey> key = IdempotencyKey.from(call.headers(IdempotencyKey.HEADER));
        NewProduct product = ProductJson.read(call.jsonBody());
        if (key.isEmpty()) {
            Product created = service.create(product);
            return Reply.json(201, data(created)).header("Location", "/products/" + created.id());
        }
        KeyedCreation outcome = service.create(product, key.get(), call.client().known() ? call.client().name() : "");
        if (outcome instanceof KeyedCreation.Created c) {
            return created(c.product().id(), c.product().toJson());
        }
        if (outcome instanceof KeyedCreation.Replayed r) {
            return created(r.id(), r.productJson()).header(REPLAYED_HEADER, "true");
        }
        if (outcome instanceof KeyedCreation.InProgress) {
            throw Problem.conflict("a request with this " + IdempotencyKey.HEADER
                    + " is still being processed; retry to get its answer", KEY_IN_PROGRESS_RETRY_SECONDS);
        }
        throw Problem.unprocessable("this " + IdempotencyKey.HEADER
                + " was first used with another product; use a new key for a new product");
    }

    private static Reply created(long id, String productJson) {
        return Reply.json(201, new StringBuilder(productJson.length() + 10).append("{\"data\":").append(productJson).append('}'))
                .header("Location", "/products/" + id);
    }

    Reply replace(Call call) throws java.io.IOException {
        long id = id(call);
        NewProduct product = ProductJson.read(call.jsonBody());
        Product updated = service.replace(id, product).orElseThrow(() -> notFound(id));
        return Reply.json(200, data(updated));
    }

    Reply delete(Call call) {
        long id = id(call);
        if (!service.delete(id)) {
            throw notFound(id);
        }
        return Reply.noContent();
    }

    static long id(Call call) {
        return parseId(call.pathParameter("id"));
    }

    /** Ids are positive 64-bit integers written in decimal digits; anything else is a 400. */
    static long parseId(String text) {
        return Decimal.within(text, 1, Long.MAX_VALUE)
                .orElseThrow(() -> Problem.badRequest("the product id must be an integer from 1 to " + Long.MAX_VALUE));
    }

    private static StringBuilder data(Product product) {
        return product.appendJson(new StringBuilder(96).append("{\"data\":")).append('}');
    }

    private static Problem notFound(long id) {
        return Problem.notFound("no product with id " + id);
    }
}
