package catalog.http;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.lab.Eventually;
import catalog.ops.JvmSettings;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The HTTP layer in-process (no database): body limits, media types, errors as problem+json, metrics. */
class ApiServerTest {
    @BeforeAll
    static void jvmSettings() {
        JvmSettings.apply();   // as Main does: the JDK server reads them once, at its first start
    }

    private final AccessMetrics metrics = new AccessMetrics();
    private final HttpClient http = HttpClient.newHttpClient();
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        Router router = new Router()
                .post("/echo", call -> Reply.json(200, new String(call.jsonBody(), StandardCharsets.UTF_8)))
                .get("/boom", call -> {
                    throw new IllegalArgumentException("secret internal detail");
                })
                .get("/slow", call -> {
                    Thread.sleep(1_000);
                    return Reply.json(200, "{\"slow\":true}");
                })
                .get("/busy", call -> {
                    throw new IllegalStateException("pool exhausted");
                });
        server = ApiServer.builder(router, metrics).port(0).threads(4).bodyLimit(1024)
                .map(IllegalStateException.class, e -> Problem.serviceUnavailable("try later", 2))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a body of this type to the test route that answers it back. */
    private HttpResponse<String> echo(String contentType, HttpRequest.BodyPublisher body) throws Exception {
        return send(request("/echo").header("Content-Type", contentType).POST(body));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path));
    }

    private static JsonObject problem(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    @Test
    @DisplayName("a JSON body within the limit reaches the handler")
    void bodyWithinLimit() throws Exception {
        HttpResponse<String> response = echo("application/json; charset=UTF-8", HttpRequest.BodyPublishers.ofString("{\"a\":1}"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"a\":1}");
    }

    @Test
    @DisplayName("a body over the limit is a 413, whether its length is declared or it is chunked")
    void bodyOverLimit() throws Exception {
        byte[] big = new byte[5000];
        HttpResponse<String> declared = echo("application/json", HttpRequest.BodyPublishers.ofByteArray(big));
        HttpResponse<String> chunked = echo("application/json", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));

        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(problem(chunked).get("detail").getAsString()).contains("1024 bytes");
    }

    @Test
    @DisplayName("bodies refused before they were read (415) leave the connection usable: none of 200 refusals, each followed by a POST on the same client, fails")
    void refusedBodiesKeepTheConnection() throws Exception {
        // The rest of a refused body is read before the answer (BodyDrain): a connection closed on
        // unread bytes is reset, and the reset failed a quarter of the next requests on it.
        int failures = 0;
        for (int i = 0; i < 200; i++) {
            try {
                assertThat(echo("text/plain", HttpRequest.BodyPublishers.ofString("{\"refused\":" + i + "}")).statusCode()).isEqualTo(415);
                assertThat(echo("application/json", HttpRequest.BodyPublishers.ofString("{\"a\":" + i + "}")).statusCode()).isEqualTo(200);
            } catch (java.io.IOException e) {
                failures++;
            }
        }

        assertThat(failures).as("requests that failed on a reset connection").isZero();
    }

    @Test
    @DisplayName("a body that is not JSON is a 415")
    void notJson() throws Exception {
        HttpResponse<String> response = echo("application/x-www-form-urlencoded", HttpRequest.BodyPublishers.ofString("a=1"));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(problem(response).get("detail").getAsString()).contains("application/x-www-form-urlencoded");
    }

    @Test
    @DisplayName("an unexpected exception is a 500 problem that does not leak its message or a stack trace")
    void unexpectedFailure() throws Exception {
        HttpResponse<String> response = send(request("/boom").GET());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(problem(response).get("title").getAsString()).isEqualTo("Internal Server Error");
        assertThat(response.body()).doesNotContain("secret").doesNotContain("Exception");
    }

    @Test
    @DisplayName("a mapped exception becomes its problem, with its headers")
    void mappedFailure() throws Exception {
        HttpResponse<String> response = send(request("/busy").GET());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
    }

    @Test
    @DisplayName("requests are counted by route template and status, unknown paths under one name")
    void metrics() throws Exception {
        send(request("/busy").GET());
        send(request("/nowhere/" + System.nanoTime()).GET());
        send(request("/busy").DELETE());

        // The server counts a request after the client has its answer: wait for the counts.
        Eventually.until(java.time.Duration.ofSeconds(5),
                () -> List.of(metrics.count("GET", "/busy", 503), metrics.count("GET", AccessMetrics.UNMATCHED, 404),
                        metrics.count("DELETE", "/busy", 405)),
                List.of(1L, 1L, 1L)::equals, "503, 404 and 405 counted under their routes");
    }

    @Test
    @DisplayName("stopping lets an in-flight request finish, returns when it is done, then refuses new ones")
    void gracefulStop() throws Exception {
        var inFlight = http.sendAsync(request("/slow").GET().build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);

        long start = System.nanoTime();
        server.stop(10);
        long stopMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(inFlight.get().statusCode()).isEqualTo(200);
        assertThat(stopMs).as("stop waits for the request, not the whole grace").isBetween(300L, 8_000L);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> send(request("/busy").GET())))
                .isInstanceOf(java.io.IOException.class);
    }
}
