package catalog.ops;

import catalog.http.Call;
import catalog.http.Reply;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GET /health (readiness): 200 when writes can work, 503 otherwise, with each part's details. The
 * parts are checked in parallel so the answer takes as long as the slowest part, not their sum.
 *
 * <p>Bounded: each part gets {@link #PROBE_TIMEOUT_MS} (a part that has not answered by then is
 * "down", timed out), a part still busy with its last probe is not probed again (one thread per
 * part, whatever the load), and an answer is reused for {@link #REUSE_MS}: a flood of /health
 * costs one probe of each part per period, not one per request.
 *
 * <p>GET /health/live (liveness): 200 whenever the process answers HTTP, whatever the database and
 * Redis do. A front that checks readiness would take every instance out during a database failover
 * that the instances ride out well (reads go on, writes fail fast); it should check liveness.
 */
public final class HealthHandler implements AutoCloseable {
    static final long PROBE_TIMEOUT_MS = 1_000;
    static final long REUSE_MS = 1_000;

    private final List<HealthCheck> checks;
    private final ExecutorService executor;
    private final Gson gson = new GsonBuilder().serializeNulls().create();
    /** Each part's probe now or last running, in the order of {@code checks}. */
    private final List<CompletableFuture<HealthCheck.Result>> probes;
    private record Answer(int status, String body, long madeAt) {}
    private Answer last;

    public HealthHandler(List<HealthCheck> checks) {
        this.checks = List.copyOf(checks);
        this.executor = Executors.newFixedThreadPool(this.checks.size(), task -> {
            Thread thread = new Thread(task, "health-check");
            thread.setDaemon(true);
            return thread;
        });
        this.probes = new java.util.ArrayList<>(java.util.Collections.nCopies(this.checks.size(),
                CompletableFuture.completedFuture(new HealthCheck.Result(false, Map.of()))));
    }

    public Reply handle(Call call) {
        Answer answer = answer();
        return Reply.json(answer.status(), answer.body()).header("Cache-Control", "no-store");
    }

    /** The last answer while it is fresh; otherwise one caller probes and the others wait for it. */
    private synchronized Answer answer() {
        if (last != null && System.nanoTime() - last.madeAt() < TimeUnit.MILLISECONDS.toNanos(REUSE_MS)) {
            return last;
        }
        List<CompletableFuture<HealthCheck.Result>> results = new java.util.ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            CompletableFuture<HealthCheck.Result> previous = probes.get(i);
            if (previous.isDone()) {
                HealthCheck check = checks.get(i);
                previous = CompletableFuture.supplyAsync(check::check, executor);
                probes.set(i, previous);
            }
            results.add(previous);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROBE_TIMEOUT_MS);
        boolean up = true;
        Map<String, Object> parts = new LinkedHashMap<>();
        for (int i = 0; i < checks.size(); i++) {
            HealthCheck check = checks.get(i);
            HealthCheck.Result result = within(check, results.get(i), deadline);
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("status", result.healthy() ? "up" : "down");
            part.putAll(result.details());
            parts.put(check.name(), part);
            up &= result.healthy() || !check.critical();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "up" : "down");
        body.putAll(parts);
        last = new Answer(up ? 200 : 503, gson.toJson(body), System.nanoTime());
        return last;
    }

    private static HealthCheck.Result within(HealthCheck check, CompletableFuture<HealthCheck.Result> probe, long deadline) {
        try {
            return probe.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return check.unanswered("no answer within " + PROBE_TIMEOUT_MS + " ms");
        } catch (ExecutionException e) {
            return check.unanswered(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return check.unanswered("interrupted");
        }
    }

    /** Liveness: no dependency is asked, so nothing but a dead or wedged process can fail it. */
    public static Reply live(Call call) {
        return Reply.json(200, "{\"status\":\"up\"}").header("Cache-Control", "no-store");
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
