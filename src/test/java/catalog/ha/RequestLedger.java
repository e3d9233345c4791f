package catalog.ha;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import catalog.lab.Eventually;
import catalog.lab.Probe;
import catalog.report.Timeline;
import com.google.gson.JsonObject;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The steady load every catalogue row runs under, and the record of every request in it: a product
 * POST and a database read (a page of products: never cached) through the API, each every 100 ms on
 * its own thread, each attempt kept with its start, duration and outcome. A write counts as
 * acknowledged only when the API answered 201; its id and content are kept so that the verdict can
 * look for exactly that row on the final leader. Each request has a 10 s deadline, longer than any
 * wait the API allows itself, so a failure is the API's answer, not the client's impatience.
 *
 * <p>Every request goes through {@link ApiClient}, so each exchange is checked against openapi.yaml
 * and counted in the report's contract tally like any other scenario's: an answer the document does
 * not describe is a failed attempt (a read that fails, a write refused with something else than a
 * 503), and the row's verdict fails on it.
 */
final class RequestLedger implements AutoCloseable {
    static final Duration PACE = Duration.ofMillis(100);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    /** A write the API acknowledged: the id it gave and the content it stored. */
    record Acknowledged(long id, String name, BigDecimal price) {}

    private final String tag;
    private final Supplier<URI> api;
    private final AtomicLong sequence = new AtomicLong();
    private volatile ApiClient client;
    private final Probe<Acknowledged> writes;
    private final Probe<String> reads;

    /** Starts the load on the API at {@code api} (looked up again after a connection failure). */
    RequestLedger(String tag, Supplier<URI> api, Timeline timeline) {
        this.tag = tag;
        this.api = api;
        this.client = new ApiClient(api.get(), DEADLINE);
        writes = Probe.every(PACE, "write", timeline, this::write);
        reads = Probe.every(PACE, "read", timeline, this::read);
    }

    List<Probe.Attempt<Acknowledged>> writes() {
        return writes.attempts();
    }

    List<Probe.Attempt<String>> reads() {
        return reads.attempts();
    }

    /** Waits for the load to work before any fault: a verdict on an idle ledger would prove nothing. */
    void awaitBaseline(Duration within) {
        writes.awaitSuccesses(5, within);
        reads.awaitSuccesses(5, within);
    }

    /** Waits until {@code count} writes that started at or after {@code fromMillis} were acknowledged. */
    void awaitWritesFrom(long fromMillis, int count, Duration within) throws InterruptedException {
        Eventually.until(count + " acknowledged writes", within,
                () -> writes.attemptsFrom(fromMillis).stream().filter(Probe.Attempt::ok).count() >= count);
    }

    private Acknowledged write() {
        long n = sequence.incrementAndGet();
        String name = tag + " #" + n;
        BigDecimal price = BigDecimal.valueOf(100 + n, 2);
        JsonObject body = new JsonObject();
        body.addProperty("name", name);
        body.addProperty("price", price);
        body.addProperty("stock", 1);
        ApiResponse response = send(api -> api.post("/products", body.toString()));
        if (response.status() != 201) {
            throw new Refused(response);
        }
        JsonObject data = response.data();
        return new Acknowledged(data.get("id").getAsLong(), data.get("name").getAsString(), data.get("price").getAsBigDecimal());
    }

    /** GET /products?limit=1 from the database; returns which role served it (X-Served-By). */
    private String read() {
        ApiResponse response = send(api -> api.get("/products?limit=1"));
        if (response.status() != 200) {
            throw new Refused(response);
        }
        String servedBy = response.header("X-Served-By");
        return servedBy == null ? "?" : servedBy;
    }

    /** Sends on the current client; after a refused connection the API is looked up again (it may have moved). */
    private ApiResponse send(java.util.function.Function<ApiClient, ApiResponse> request) {
        try {
            return request.apply(client);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof ConnectException) {
                client = new ApiClient(api.get(), DEADLINE);
            }
            throw e;
        }
    }

    @Override
    public void close() {
        writes.close();
        reads.close();
    }

    /**
     * A non-success answer; its message reads e.g. "503 Retry-After=2 application/problem+json", and
     * through the HTTP front ends with the instance that had the request ("... from api-1").
     */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(ApiResponse response) {
            super(response.status() + " Retry-After=" + orNone(response.header("Retry-After"), "none")
                    + " " + orNone(response.contentType(), "no content type")
                    + (response.header("X-Api-Instance") == null || response.header("X-Api-Instance").isEmpty()
                            ? "" : " from " + response.header("X-Api-Instance")));
        }

        private static String orNone(String value, String none) {
            return value == null ? none : value;
        }
    }
}
