package catalog.http;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.access.ApiKeys;
import catalog.access.Gate;
import catalog.ops.JvmSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The gate on the route: refusals before any body is read, the client's name in the metrics. */
class ApiServerGateTest {
    @BeforeAll
    static void jvmSettings() {
        JvmSettings.apply();
    }

    private final AccessMetrics metrics = new AccessMetrics();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger handled = new AtomicInteger();
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        Router router = new Router()
                .post("/things", call -> {
                    handled.incrementAndGet();
                    call.jsonBody();
                    return Reply.json(201, "{\"by\":\"" + call.client().name() + "\"}");
                })
                .get("/things", call -> Reply.json(200, "{\"by\":\"" + call.client().name() + "\"}"));
        ApiKeys keys = ApiKeys.parse(List.of("alice:" + ApiKeys.digestOf("alice-key")));
        server = ApiServer.builder(router, metrics).port(0).threads(2).gate(new Gate(keys, false)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/things"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("a POST without a key is a 401 problem with a Bearer challenge, and its handler never runs")
    void refusedWithoutKey() throws Exception {
        HttpResponse<String> response = post();

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"products\"");
        assertThat(handled).hasValue(0);
        assertThat(metrics.count("POST", "/things", 401)).isEqualTo(1);
    }

    @Test
    @DisplayName("a POST with a known key runs as its client, and the metrics count it under the client's name")
    void admittedWithKey() throws Exception {
        HttpResponse<String> response = post("Authorization", "Bearer alice-key");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("{\"by\":\"alice\"}");
        assertThat(metrics.countFrom("alice", 201)).isEqualTo(1);
    }

    @Test
    @DisplayName("a GET needs no key and is counted as anonymous")
    void readsOpen() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + server.port() + "/things")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).isEqualTo("{\"by\":\"anonymous\"}");
        assertThat(metrics.countFrom("anonymous", 200)).isEqualTo(1);
    }
}
