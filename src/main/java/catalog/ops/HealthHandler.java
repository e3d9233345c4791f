package catalog.ops;

import catalog.http.Call;
import catalog.http.Reply;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * GET /health (readiness): 200 when writes can work, 503 otherwise, with each part's details. The
 * parts are checked in parallel so the answer takes as long as the slowest part, not their sum.
 *
 * <p>GET /health/live (liveness): 200 whenever the process answers HTTP, whatever the database and
 * Redis do. A front that checks readiness would take every instance out during a database failover
 * that the instances ride out well (reads go on, writes fail fast); it should check liveness.
 */
public final class HealthHandler implements AutoCloseable {
    private final List<HealthCheck> checks;
    private final ExecutorService executor;
    private final Gson gson = new GsonBuilder().serializeNulls().create();

    public HealthHandler(List<HealthCheck> checks) {
        this.checks = List.copyOf(checks);
        this.executor = Executors.newFixedThreadPool(this.checks.size(), task -> {
            Thread thread = new Thread(task, "health-check");
            thread.setDaemon(true);
            return thread;
        });
    }

    public Reply handle(Call call) {
        List<CompletableFuture<HealthCheck.Result>> results = checks.stream()
                .map(check -> CompletableFuture.supplyAsync(check::check, executor))
                .toList();
        boolean up = true;
        Map<String, Object> parts = new LinkedHashMap<>();
        for (int i = 0; i < checks.size(); i++) {
            HealthCheck check = checks.get(i);
            HealthCheck.Result result = results.get(i).join();
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("status", result.healthy() ? "up" : "down");
            part.putAll(result.details());
            parts.put(check.name(), part);
            up &= result.healthy() || !check.critical();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "up" : "down");
        body.putAll(parts);
        return Reply.json(up ? 200 : 503, gson.toJson(body)).header("Cache-Control", "no-store");
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
