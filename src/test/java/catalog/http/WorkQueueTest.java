package catalog.http;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.admission.Lane;
import catalog.admission.Shedding;
import catalog.ops.JvmSettings;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The bounded work queue, in-process: one worker, a handler that blocks until the test lets it go. */
class WorkQueueTest {
    @BeforeAll
    static void jvmSettings() {
        JvmSettings.apply();   // as Main does: the JDK server reads them once, at its first start
    }

    private final AccessMetrics metrics = new AccessMetrics();
    private final Shedding shedding = new Shedding();
    private final HttpClient http = HttpClient.newHttpClient();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch blocked = new CountDownLatch(1);
    private ApiServer server;

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
    }

    private void start(int queueMax, Duration queueWait) throws Exception {
        start(queueMax, queueWait, null);
    }

    private void start(int queueMax, Duration queueWait, Lane writes) throws Exception {
        Router router = new Router()
                .post("/block", call -> {
                    blocked.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    return Reply.json(201, "{\"blocked\":true}");
                })
                .get("/block", call -> {
                    blocked.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    return Reply.json(200, "{\"blocked\":true}");
                })
                .get("/hold", call -> {
                    Thread.sleep(400);
                    return Reply.json(200, "{\"held\":true}");
                })
                .get("/fast", call -> Reply.json(200, "{\"fast\":true}"))
                .get("/live", call -> Reply.json(200, "{\"status\":\"up\"}"));
        ApiServer.Builder builder = ApiServer.builder(router, metrics).port(0).threads(1)
                .queue(queueMax, queueWait, shedding).neverShed("/live");
        server = (writes == null ? builder : builder.writes(writes)).start();
    }

    @Test
    @DisplayName("a stuck write holds its lane's thread, not a request worker; past the lane's room writes are refused at once")
    void writesInTheirOwnLane() throws Exception {
        start(10, Duration.ofSeconds(30), new Lane("writes", new Lane.Bounds(1, 1, Duration.ofSeconds(30)), Lane.Refusals.WRITES,
                Lane.named("test-writer-")));
        CompletableFuture<HttpResponse<String>> stuck = post("/block");
        assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<HttpResponse<String>> waiting = post("/block");
        Thread.sleep(200);

        HttpResponse<String> read = get("/fast").get(5, TimeUnit.SECONDS);
        HttpResponse<String> refused = post("/block").get(5, TimeUnit.SECONDS);

        assertThat(read.statusCode()).as("the only request worker is free").isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(shedding.shed(Shedding.Reason.WRITES_FULL)).isEqualTo(1);
        release.countDown();
        assertThat(stuck.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        assertThat(waiting.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
    }

    private CompletableFuture<HttpResponse<String>> post(String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> get(String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("past the queue's length bound a request is answered 503 problem+json with Retry-After at once")
    void fullQueueShedsAtOnce() throws Exception {
        start(1, Duration.ofSeconds(30));
        CompletableFuture<HttpResponse<String>> running = occupyTheWorker();
        CompletableFuture<HttpResponse<String>> waiting = get("/fast");
        awaitWaiting(1);

        long start = System.nanoTime();
        HttpResponse<String> shed = get("/fast").get(5, TimeUnit.SECONDS);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(shed.statusCode()).isEqualTo(503);
        assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(shed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JsonParser.parseString(shed.body()).getAsJsonObject().get("detail").getAsString()).contains("full");
        assertThat(elapsedMs).isLessThan(1_000);
        assertThat(shedding.shed(Shedding.Reason.QUEUE_FULL)).isEqualTo(1);
        assertThat(metrics.count("GET", "/fast", 503)).isEqualTo(1);

        release.countDown();
        assertThat(running.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(waiting.get(5, TimeUnit.SECONDS).statusCode()).as("the queued request still runs").isEqualTo(200);
    }

    @Test
    @DisplayName("a request that waited past the queue's budget is answered 503, not run after its client gave up")
    void lateRequestNotRun() throws Exception {
        start(10, Duration.ofMillis(100));
        CompletableFuture<HttpResponse<String>> holding = get("/hold");   // the only worker, for 400 ms
        Thread.sleep(50);

        HttpResponse<String> late = get("/fast").get(5, TimeUnit.SECONDS);

        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(JsonParser.parseString(late.body()).getAsJsonObject().get("detail").getAsString()).contains("in time");
        assertThat(shedding.shed(Shedding.Reason.QUEUE_TIMEOUT)).isEqualTo(1);
        assertThat(holding.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(get("/fast").get(5, TimeUnit.SECONDS).statusCode()).as("an idle server runs requests again").isEqualTo(200);
    }

    @Test
    @DisplayName("a never-shed path (liveness) is answered even past the queue's bounds")
    void livenessNeverShed() throws Exception {
        start(0, Duration.ofSeconds(30));
        CompletableFuture<HttpResponse<String>> running = occupyTheWorker();

        HttpResponse<String> live = get("/live").get(5, TimeUnit.SECONDS);
        HttpResponse<String> other = get("/fast").get(5, TimeUnit.SECONDS);

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(other.statusCode()).isEqualTo(503);
        release.countDown();
        assertThat(running.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    /** A GET that takes the only request worker and holds it until the test releases it. */
    private CompletableFuture<HttpResponse<String>> occupyTheWorker() throws InterruptedException {
        CompletableFuture<HttpResponse<String>> running = get("/block");
        assertThat(blocked.await(5, TimeUnit.SECONDS)).as("the worker took the blocking GET").isTrue();
        return running;
    }

    private void awaitWaiting(int requests) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.waiting() < requests && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(server.waiting()).isEqualTo(requests);
    }
}
