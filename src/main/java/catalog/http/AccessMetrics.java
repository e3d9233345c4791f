package catalog.http;

import catalog.ops.MetricSource;
import catalog.ops.PrometheusText;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests counted by method, route template, status and client, and their latency by route. Routes
 * are templates ({@code /products/{id}}), unmatched paths share one name, and clients are the
 * configured ones plus "anonymous", so the number of series stays bounded whatever clients send.
 */
public final class AccessMetrics implements MetricSource {
    public static final String UNMATCHED = "unmatched";

    /** One client's answers on one method of one route, by status. */
    private static final class StatusCounts {
        final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
        // The status nearly every request gets, without boxing or a map lookup.
        final LongAdder ok = new LongAdder();

        LongAdder status(int status) {
            return status == 200 ? ok : byStatus.computeIfAbsent(status, k -> new LongAdder());
        }

        long count(int status) {
            if (status == 200) {
                return ok.sum();
            }
            LongAdder adder = byStatus.get(status);
            return adder == null ? 0 : adder.sum();
        }
    }

    /** One method on one route: counts by client and status, and the latency histogram. */
    private static final class RouteStats {
        final Map<String, StatusCounts> byClient = new ConcurrentHashMap<>();
        final LatencyHistogram latency = new LatencyHistogram();

        StatusCounts client(String client) {
            StatusCounts counts = byClient.get(client);
            return counts != null ? counts : byClient.computeIfAbsent(client, k -> new StatusCounts());
        }
    }

    // route -> method -> stats: two lookups with the strings at hand, no key allocated per request.
    private final Map<String, Map<String, RouteStats>> routes = new ConcurrentHashMap<>();

    /**
     * One answered request. {@code client} is a configured client's name or "anonymous" (never a
     * key), so the clients are as bounded as the routes.
     */
    public void record(String method, String route, String client, int status, long nanos) {
        RouteStats stats = stats(boundedMethod(method), route);
        stats.client(client).status(status).increment();
        stats.latency.observe(nanos / 1e9);
    }

    private RouteStats stats(String method, String route) {
        Map<String, RouteStats> byMethod = routes.get(route);
        if (byMethod == null) {
            byMethod = routes.computeIfAbsent(route, k -> new ConcurrentHashMap<>());
        }
        RouteStats stats = byMethod.get(method);
        return stats != null ? stats : byMethod.computeIfAbsent(method, k -> new RouteStats());
    }

    /** How many requests got this status on this route, from every client (tests read it). */
    public long count(String method, String route, int status) {
        Map<String, RouteStats> byMethod = routes.get(route);
        RouteStats stats = byMethod == null ? null : byMethod.get(method);
        return stats == null ? 0 : stats.byClient.values().stream().mapToLong(c -> c.count(status)).sum();
    }

    /** How many requests with this status came from this client, on any route and method. */
    public long countFrom(String client, int status) {
        return routes.values().stream().flatMap(byMethod -> byMethod.values().stream())
                .map(stats -> stats.byClient.get(client)).filter(java.util.Objects::nonNull)
                .mapToLong(counts -> counts.count(status)).sum();
    }

    // Any string can arrive as a method; only well-known ones become label values.
    private static String boundedMethod(String method) {
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS" -> method;
            default -> "OTHER";
        };
    }

    @Override
    public void writeTo(PrometheusText out) {
        out.family("http_requests_total", "counter", "HTTP requests by method, route template, status and client.");
        routes.forEach((route, byMethod) -> byMethod.forEach((method, stats) -> stats.byClient.forEach((client, counts) -> {
            if (counts.ok.sum() > 0) {
                out.sample("http_requests_total", counts.ok.sum(), "method", method, "route", route, "status", "200",
                        "client", client);
            }
            counts.byStatus.forEach((status, count) -> out.sample("http_requests_total", count.sum(),
                    "method", method, "route", route, "status", String.valueOf(status), "client", client));
        })));
        out.family("http_request_duration_seconds", "histogram", "HTTP request latency by method and route template.");
        routes.forEach((route, byMethod) -> byMethod.forEach((method, stats) -> {
            LatencyHistogram histogram = stats.latency;
            for (int i = 0; i < LatencyHistogram.BOUNDS.length; i++) {
                out.sample("http_request_duration_seconds_bucket", histogram.cumulative(i), "method", method,
                        "route", route, "le", String.valueOf(LatencyHistogram.BOUNDS[i]));
            }
            out.sample("http_request_duration_seconds_bucket", histogram.count(), "method", method,
                    "route", route, "le", "+Inf");
            out.sample("http_request_duration_seconds_sum", histogram.sum(), "method", method, "route", route);
            out.sample("http_request_duration_seconds_count", histogram.count(), "method", method, "route", route);
        }));
    }
}
