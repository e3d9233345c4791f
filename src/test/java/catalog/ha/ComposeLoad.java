package catalog.ha;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import catalog.lab.Probe;
import catalog.report.Timeline;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The steady load of {@link ComposeStackIT} through the compose stack's front: a GET of one product
 * every 50 ms (the cache's path), a page of products every 50 ms (the database's: never cached),
 * and a POST every 200 ms, each attempt recorded. Reads are what the test judges; writes are
 * figures (a killed leader stops them for a failover, by design). Every request goes through
 * {@link ApiClient}, so each exchange is checked against openapi.yaml like any scenario's.
 */
final class ComposeLoad implements AutoCloseable {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    /** What one kill did to the load. */
    record Figures(long reads, long failedReads, long slowestReadMillis, long writes, long failedWrites,
                   long longestWriteGapMillis, String firstFailures) {}

    private final ApiClient api;
    private final AtomicLong sequence = new AtomicLong();
    private final Timeline timeline;
    private final Probe<Integer> byId;
    private final Probe<Integer> pages;
    private final Probe<Integer> writes;

    /** Starts the load; every lane keeps time on the timeline's clock and draws on it. */
    ComposeLoad(URI front, long productId, Timeline timeline) {
        this.api = new ApiClient(front, DEADLINE);
        this.timeline = timeline;
        byId = Probe.every(Duration.ofMillis(50), "read by id", timeline, () -> expect(200, api.get("/products/" + productId)));
        pages = Probe.every(Duration.ofMillis(50), "read a page", timeline, () -> expect(200, api.get("/products?limit=1")));
        writes = Probe.every(Duration.ofMillis(200), "write", timeline, () -> expect(201, post()));
    }

    void awaitBaseline(Duration within) {
        byId.awaitSuccesses(5, within);
        pages.awaitSuccesses(5, within);
    }

    long now() {
        return timeline.now();
    }

    void mark(String what) {
        timeline.mark(what);
    }

    /** The load's figures from {@code fromMillis} on (call after {@link #stop()}). */
    Figures figuresFrom(long fromMillis) {
        List<Probe.Attempt<Integer>> reads = new java.util.ArrayList<>(byId.attemptsFrom(fromMillis));
        reads.addAll(pages.attemptsFrom(fromMillis));
        long failed = reads.stream().filter(a -> !a.ok()).count();
        long slowest = reads.stream().mapToLong(Probe.Attempt::durationMillis).max().orElse(0);
        String first = reads.stream().filter(a -> !a.ok()).sorted(java.util.Comparator.comparingLong(Probe.Attempt::startMillis))
                .limit(3).map(a -> "+" + (a.startMillis() - fromMillis) + " ms " + a.error()).toList().toString();
        List<Probe.Attempt<Integer>> posts = writes.attemptsFrom(fromMillis);
        return new Figures(reads.size(), failed, slowest, posts.size(), posts.stream().filter(a -> !a.ok()).count(),
                writes.longestGapFrom(fromMillis), first);
    }

    private ApiResponse post() {
        return api.post("/products", ApiClient.product("compose load #" + sequence.incrementAndGet(), "1.00", 1));
    }

    private static int expect(int status, ApiResponse response) {
        if (response.status() != status) {
            String instance = response.header("X-Api-Instance");
            throw new IllegalStateException(response.status() + " from " + (instance == null ? "?" : instance)
                    + ": " + abbreviated(response.body()));
        }
        return status;
    }

    private static String abbreviated(String body) {
        return body.length() > 160 ? body.substring(0, 160) + "..." : body;
    }

    /** Stops every lane (figures stay readable). */
    void stop() {
        byId.close();
        pages.close();
        writes.close();
    }

    @Override
    public void close() {
        stop();
    }
}
