package catalog.ha;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import catalog.report.Timeline;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client that creates products with an Idempotency-Key and retries each until it is
 * acknowledged, as a careful client would during a failover: at once after a timeout, after
 * Retry-After on a 503 or a 409. Every attempt goes to the timeline's "keyed write" lane.
 */
record KeyedRetries(ApiClient api, Timeline timeline, Duration giveUpAfter) {
    /** Everything that happened to one key. */
    record Outcome(String key, List<Long> acknowledgedIds, int attempts, int timeouts, int unavailable,
                   int inProgress, int replays) {
        boolean acknowledged() {
            return !acknowledgedIds.isEmpty();
        }

        boolean retried() {
            return attempts > 1;
        }
    }

    /** Posts the body with the key until a 201 (the first, or its replay), or gives up. */
    Outcome create(String key, String body) throws InterruptedException {
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        List<Long> ids = new ArrayList<>();
        int attempts = 0;
        int timeouts = 0;
        int unavailable = 0;
        int inProgress = 0;
        int replays = 0;
        while (ids.isEmpty() && System.nanoTime() < deadline) {
            attempts++;
            long start = timeline.now();
            ApiResponse response;
            try {
                response = api.post("/products", body, "Idempotency-Key", key);
            } catch (UncheckedIOException timedOut) {
                // The server may still commit it: only the retry with the same key can tell.
                timeline.request("keyed write", start, false);
                timeouts++;
                continue;
            }
            timeline.request("keyed write", start, response.status() == 201);
            switch (response.status()) {
                case 201 -> {
                    ids.add(response.data().get("id").getAsLong());
                    if ("true".equals(response.header("Idempotent-Replayed"))) {
                        replays++;
                    }
                }
                case 503 -> {
                    unavailable++;
                    Thread.sleep(retryAfterMillis(response));
                }
                case 409 -> {
                    inProgress++;
                    Thread.sleep(retryAfterMillis(response));
                }
                default -> throw new AssertionError("POST with Idempotency-Key " + key + " answered " + response);
            }
        }
        return new Outcome(key, ids, attempts, timeouts, unavailable, inProgress, replays);
    }

    private static long retryAfterMillis(ApiResponse response) {
        return Long.parseLong(response.header("Retry-After")) * 1000;
    }
}
