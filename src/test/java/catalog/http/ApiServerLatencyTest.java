package catalog.http;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ops.JvmSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ApiServerLatencyTest {
    @BeforeAll
    static void jvmSettings() {
        JvmSettings.apply();   // as Main does: the JDK server reads them once, at its first start
    }


    @Test
    @DisplayName("a small response on a kept-alive connection does not wait for the client's delayed ACK")
    void answersWithoutNagleDelay() throws Exception {
        Router router = new Router().get("/ping", call -> Reply.json(200, "{\"pong\":true}"));
        try (ApiServer server = ApiServer.builder(router, new AccessMetrics()).port(0).threads(2).start()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ping")).build();
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                long start = System.nanoTime();
                HttpResponse<String> response = client.send(ping, HttpResponse.BodyHandlers.ofString());
                micros.add((System.nanoTime() - start) / 1_000);
                assertThat(response.statusCode()).isEqualTo(200);
            }
            Collections.sort(micros);
            // With Nagle on, every response waits ~40 ms for the delayed ACK; without, well under 1 ms
            // here. 20 ms leaves room for a loaded machine and still catches the stall.
            assertThat(micros.get(micros.size() / 2)).isLessThan(20_000);
        }
    }
}
