package catalog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.http.AccessMetrics;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    @DisplayName("families carry HELP and TYPE, label values are escaped, whole numbers print without a fraction")
    void format() {
        String text = new PrometheusText()
                .family("x_total", "counter", "Things.")
                .sample("x_total", 3, "path", "a\"b\\c\nd")
                .sample("x_total", 0.25)
                .toString();

        assertThat(text).isEqualTo("# HELP x_total Things.\n# TYPE x_total counter\n"
                + "x_total{path=\"a\\\"b\\\\c\\nd\"} 3\nx_total 0.25\n");
    }

    @Test
    @DisplayName("the latency histogram is cumulative and ends with +Inf equal to the count")
    void histogram() {
        AccessMetrics metrics = new AccessMetrics();
        metrics.record("GET", "/products/{id}", "alice", 200, 2_000_000);      // 2 ms
        metrics.record("GET", "/products/{id}", "alice", 200, 30_000_000);     // 30 ms
        metrics.record("GET", "/products/{id}", "anonymous", 404, 20_000_000_000L); // 20 s, beyond every bound

        assertThat(Exposition.of(metrics::writeTo))
                .contains("http_requests_total{method=\"GET\",route=\"/products/{id}\",status=\"200\",client=\"alice\"} 2")
                .contains("http_requests_total{method=\"GET\",route=\"/products/{id}\",status=\"404\",client=\"anonymous\"} 1")
                .contains("http_request_duration_seconds_bucket{method=\"GET\",route=\"/products/{id}\",le=\"0.0025\"} 1")
                .contains("http_request_duration_seconds_bucket{method=\"GET\",route=\"/products/{id}\",le=\"0.05\"} 2")
                .contains("http_request_duration_seconds_bucket{method=\"GET\",route=\"/products/{id}\",le=\"10.0\"} 2")
                .contains("http_request_duration_seconds_bucket{method=\"GET\",route=\"/products/{id}\",le=\"+Inf\"} 3")
                .contains("http_request_duration_seconds_count{method=\"GET\",route=\"/products/{id}\"} 3");
    }

    @Test
    @DisplayName("unknown methods on unmatched paths share one label value, so clients cannot multiply series")
    void boundedLabels() {
        AccessMetrics metrics = new AccessMetrics();
        metrics.record("FOO", AccessMetrics.UNMATCHED, "anonymous", 404, 1_000);
        metrics.record("BAR", AccessMetrics.UNMATCHED, "anonymous", 404, 1_000);

        assertThat(metrics.count("OTHER", AccessMetrics.UNMATCHED, 404)).isEqualTo(2);
    }
}
