package catalog.http;

import catalog.ops.MetricSource;
import catalog.ops.PrometheusText;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests counted by method, route template and status, and their latency by route. Routes are
 * templates ({@code /products/{id}}), and unmatched paths share one name, so the number of series
 * stays bounded whatever clients send.
 */
public final class AccessMetrics implements MetricSource {
    public static final String UNMATCHED = "unmatched";

    private record RequestKey(String method, String route, int status) {}

    private record RouteKey(String method, String route) {}

    private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<RouteKey, LatencyHistogram> latencies = new ConcurrentHashMap<>();

    public void record(String method, String route, int status, long nanos) {
        String knownMethod = boundedMethod(method);
        requests.computeIfAbsent(new RequestKey(knownMethod, route, status), k -> new LongAdder()).increment();
        latencies.computeIfAbsent(new RouteKey(knownMethod, route), k -> new LatencyHistogram())
                .observe(nanos / 1e9);
    }

    /** How many requests got this status on this route (tests read it). */
    public long count(String method, String route, int status) {
        LongAdder adder = requests.get(new RequestKey(method, route, status));
        return adder == null ? 0 : adder.sum();
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
        out.family("http_requests_total", "counter", "HTTP requests by method, route template and status.");
        requests.forEach((key, count) -> out.sample("http_requests_total", count.sum(),
                "method", key.method(), "route", key.route(), "status", String.valueOf(key.status())));
        out.family("http_request_duration_seconds", "histogram", "HTTP request latency by method and route template.");
        latencies.forEach((key, histogram) -> {
            for (int i = 0; i < LatencyHistogram.BOUNDS.length; i++) {
                out.sample("http_request_duration_seconds_bucket", histogram.cumulative(i), "method", key.method(),
                        "route", key.route(), "le", String.valueOf(LatencyHistogram.BOUNDS[i]));
            }
            out.sample("http_request_duration_seconds_bucket", histogram.count(), "method", key.method(),
                    "route", key.route(), "le", "+Inf");
            out.sample("http_request_duration_seconds_sum", histogram.sum(), "method", key.method(), "route", key.route());
            out.sample("http_request_duration_seconds_count", histogram.count(), "method", key.method(), "route", key.route());
        });
    }
}
