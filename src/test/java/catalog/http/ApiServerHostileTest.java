package catalog.http;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.access.ApiKeys;
import catalog.access.Gate;
import catalog.ops.JvmSettings;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The HTTP layer against clients that misbehave, on raw sockets. */
class ApiServerHostileTest {
    @BeforeAll
    static void jvmSettings() {
        JvmSettings.apply();
    }

    private final AccessMetrics metrics = new AccessMetrics();
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        ApiKeys keys = ApiKeys.parse(List.of("alice:" + ApiKeys.digestOf("alice-key")));
        server = ApiServer.builder(routes(), metrics).port(0).threads(2).gate(new Gate(keys, false)).start();
    }

    /** A write behind the key gate that echoes its body, and a handler that dies as a starved JVM would. */
    private static Router routes() {
        return new Router()
                .post("/things", call -> Reply.json(201, new String(call.jsonBody(), StandardCharsets.UTF_8)))
                .get("/error", call -> {
                    throw new OutOfMemoryError("simulated");
                });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Socket connect() throws Exception {
        Socket socket = new Socket("localhost", server.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static String head(Socket socket, String request) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString().strip();
    }

    @Test
    @DisplayName("refused POSTs whose bodies trickle are answered at once, and no thread is held draining them")
    void refusalNeverWaitsForTheBody() throws Exception {
        String trickling = "POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{";
        try (Socket first = connect(); Socket second = connect(); Socket third = connect()) {
            long start = System.nanoTime();
            // As many trickling clients as workers, each kept open: had a worker stayed to drain a body,
            // the third would wait for the request time bound.
            assertThat(head(first, trickling)).isEqualTo("HTTP/1.1 401 Unauthorized");
            assertThat(head(second, trickling)).isEqualTo("HTTP/1.1 401 Unauthorized");
            assertThat(head(third, trickling)).isEqualTo("HTTP/1.1 401 Unauthorized");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    @DisplayName("an upload aborted mid-body is a 400 outcome, never counted as a server error")
    void abortedUpload() throws Exception {
        try (Socket aborting = connect()) {
            aborting.getOutputStream().write(("POST /things HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer alice-key\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"a\":").getBytes(StandardCharsets.US_ASCII));
            aborting.getOutputStream().flush();
            Thread.sleep(200);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (metrics.count("POST", "/things", 400) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(metrics.count("POST", "/things", 400)).isEqualTo(1);
        assertThat(metrics.count("POST", "/things", 500)).isZero();
    }

    @Test
    @DisplayName("an Error thrown by a handler is a 500 answer and the exchange is closed")
    void errorIsAnswered() throws Exception {
        try (Socket socket = connect()) {
            assertThat(head(socket, "GET /error HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo("HTTP/1.1 500 Internal Server Error");
        }
        assertThat(metrics.count("GET", "/error", 500)).isEqualTo(1);
    }
}
