package catalog;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A client of the products API for scenarios: verbs over java.net.http, answers as
 * {@link ApiResponse}. Each call has its own timeout so a hung server fails a test, not the build.
 */
public final class ApiClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;

    public ApiClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    public ApiResponse get(String path) {
        return send("GET", path, (String) null, null);
    }

    public ApiResponse post(String path, String json) {
        return send("POST", path, json, "application/json");
    }

    public ApiResponse put(String path, String json) {
        return send("PUT", path, json, "application/json");
    }

    public ApiResponse delete(String path) {
        return send("DELETE", path, (String) null, null);
    }

    /** Creates a product and returns its id; fails the test unless the API answered 201. */
    public long create(String name, String price, int stock) {
        ApiResponse response = post("/products", product(name, price, stock));
        if (response.status() != 201) {
            throw new AssertionError("POST /products answered " + response.status() + ": " + response.body());
        }
        return response.json().getAsJsonObject("data").get("id").getAsLong();
    }

    /** A product body with a properly escaped name. */
    public static String product(String name, String price, int stock) {
        JsonObject body = new JsonObject();
        body.addProperty("name", name);
        body.add("price", JsonParser.parseString(price));
        body.addProperty("stock", stock);
        return body.toString();
    }

    public ApiResponse send(String method, String path, String body, String contentType) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return send(method, path, publisher, contentType);
    }

    public ApiResponse send(String method, String path, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new ApiResponse(response.statusCode(), response.headers(), response.body(),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One answer: status, headers, body, how long it took. */
    public record ApiResponse(int status, java.net.http.HttpHeaders headers, String body, Duration elapsed) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonObject json() {
            JsonElement element = JsonParser.parseString(body);
            return element.getAsJsonObject();
        }

        public JsonObject data() {
            return json().getAsJsonObject("data");
        }

        public String contentType() {
            return header("Content-Type");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
