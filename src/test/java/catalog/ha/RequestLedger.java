package catalog.ha;

import catalog.lab.Probe;
import catalog.report.Timeline;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 */
final class RequestLedger implements AutoCloseable {
    static final Duration PACE = Duration.ofMillis(100);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    /** A write the API acknowledged: the id it gave and the content it stored. */
    record Acknowledged(long id, String name, BigDecimal price) {}

    private final String tag;
    private final Supplier<URI> api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicLong sequence = new AtomicLong();
    private volatile URI base;
    private final Probe<Acknowledged> writes;
    private final Probe<String> reads;

    /** Starts the load on the API at {@code api} (looked up again after a connection failure). */
    RequestLedger(String tag, Supplier<URI> api, Timeline timeline) {
        this.tag = tag;
        this.api = api;
        this.base = api.get();
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
        Awaits.until(count + " acknowledged writes", within,
                () -> writes.attemptsFrom(fromMillis).stream().filter(Probe.Attempt::ok).count() >= count);
    }

    private Acknowledged write() throws IOException, InterruptedException {
        long n = sequence.incrementAndGet();
        String name = tag + " #" + n;
        BigDecimal price = BigDecimal.valueOf(100 + n, 2);
        JsonObject body = new JsonObject();
        body.addProperty("name", name);
        body.addProperty("price", price);
        body.addProperty("stock", 1);
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/products"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        if (response.statusCode() != 201) {
            throw new Refused(response);
        }
        JsonObject data = JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonObject("data");
        return new Acknowledged(data.get("id").getAsLong(), data.get("name").getAsString(), data.get("price").getAsBigDecimal());
    }

    /** GET /products?limit=1 from the database; returns which role served it (X-Served-By). */
    private String read() throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/products?limit=1")).GET());
        if (response.statusCode() != 200) {
            throw new Refused(response);
        }
        return response.headers().firstValue("X-Served-By").orElse("?");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        try {
            return http.send(request.timeout(DEADLINE).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            base = api.get();
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

        Refused(HttpResponse<String> response) {
            super(response.statusCode() + " Retry-After=" + response.headers().firstValue("Retry-After").orElse("none")
                    + " " + response.headers().firstValue("Content-Type").orElse("no content type")
                    + response.headers().firstValue("X-Api-Instance").filter(s -> !s.isEmpty()).map(s -> " from " + s).orElse(""));
        }
    }
}
