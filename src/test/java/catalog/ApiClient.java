package catalog;

import catalog.access.ApiKeys;
import catalog.contract.Contract;
import catalog.contract.ContractTally;
import catalog.contract.ContractViolation;
import catalog.contract.Exchange;
import catalog.report.Tally;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client of the products API for scenarios: verbs over java.net.http, answers as
 * {@link ApiResponse}. Each call has its own timeout so a hung server fails a test, not the build.
 *
 * <p>Every exchange is checked against openapi.yaml ({@link Contract}): an answer the document
 * does not describe, or a disagreement between the document and the server on whether a request
 * is valid, throws {@link ContractViolation} and fails the scenario. The counts go to the spec
 * report ({@link Tally} "contract").
 */
public final class ApiClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /**
     * The development key docker-compose.yml accepts when API_KEYS is not set (docs/security.md), and
     * every lab's API too ({@link #DEV_KEYS}): the spec writes as client "dev".
     */
    public static final String DEV_KEY = "products-dev-key-not-secret";
    /** The API_KEYS entry that accepts {@link #DEV_KEY}. */
    public static final String DEV_KEYS = "dev:" + ApiKeys.digestOf(DEV_KEY);

    private final URI base;
    private final Duration timeout;
    private final String key;
    private final HttpClient http;
    private final Contract contract;
    private final Tally tally;

    public ApiClient(URI base) {
        this(base, TIMEOUT);
    }

    /** A client whose requests give up after {@code timeout} (a retrying client during a failover). */
    public ApiClient(URI base, Duration timeout) {
        this(base, timeout, DEV_KEY);
    }

    private ApiClient(URI base, Duration timeout, String key) {
        this.base = base;
        this.timeout = timeout;
        this.key = key;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
        this.contract = Contract.load();
        this.tally = Tally.start(ContractTally.TITLE);
    }

    /** The same client sending {@code key} as its bearer key, or none when {@code key} is null. */
    public ApiClient withKey(String key) {
        return new ApiClient(base, timeout, key);
    }

    /** The API's port (for the rare request java.net.http cannot make). */
    public int port() {
        return base.getPort();
    }

    public ApiResponse get(String path) {
        return send("GET", path, (String) null, null);
    }

    public ApiResponse post(String path, String json) {
        return send("POST", path, json, "application/json");
    }

    /** POST with extra request headers, as name/value pairs (e.g. Idempotency-Key). */
    public ApiResponse post(String path, String json, String... headers) {
        return send("POST", path, json, "application/json", headers);
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

    /** Any request; {@code body} and {@code contentType} may be null; extra headers as name/value pairs. */
    public ApiResponse send(String method, String path, String body, String contentType, String... headers) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).method(method, publisher);
        Map<String, List<String>> sent = new LinkedHashMap<>();
        if (contentType != null) {
            request.header("Content-Type", contentType);
            sent.put("Content-Type", List.of(contentType));
        }
        boolean ownAuthorization = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            ownAuthorization |= headers[i].equalsIgnoreCase("Authorization");
            if (!headers[i + 1].chars().allMatch(c -> c < 0x80)) {
                // java.net.http would send each such character as '?': the exchange checked would not be the one sent.
                throw new IllegalArgumentException("non-ASCII in header " + headers[i] + ": send it on a raw socket");
            }
            request.header(headers[i], headers[i + 1]);
            sent.computeIfAbsent(headers[i], name -> new ArrayList<>()).add(headers[i + 1]);
        }
        if (key != null && !ownAuthorization) {
            request.header("Authorization", "Bearer " + key);
            sent.put("Authorization", List.of("Bearer " + key));
        }
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            contract.accepts(new Exchange(method, rawPathAndQuery(request.build().uri()), sent, body, 0, Map.of(), null));
            ContractTally.countUnanswered(tally);
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        ApiResponse answer = new ApiResponse(response.statusCode(), response.headers(), response.body(),
                Duration.ofNanos(System.nanoTime() - start));
        Exchange exchange = new Exchange(method, rawPathAndQuery(request.build().uri()), sent, body,
                answer.status(), response.headers().map(), answer.body());
        Contract.Verdict verdict = contract.check(exchange);
        ContractTally.count(tally, verdict);
        if (!verdict.kept()) {
            throw new ContractViolation(exchange, verdict);
        }
        return answer;
    }

    private static String rawPathAndQuery(URI uri) {
        return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
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
