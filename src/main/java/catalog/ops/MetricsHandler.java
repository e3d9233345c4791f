package catalog.ops;

import catalog.http.Call;
import catalog.http.Reply;
import java.util.List;

/** GET /metrics: every registered source, in the Prometheus text format. */
public final class MetricsHandler {
    private final List<MetricSource> sources;

    public MetricsHandler(List<MetricSource> sources) {
        this.sources = List.copyOf(sources);
    }

    public Reply handle(Call call) {
        PrometheusText text = new PrometheusText();
        for (MetricSource source : sources) {
            source.writeTo(text);
        }
        return Reply.of(200, PrometheusText.CONTENT_TYPE, text.toString());
    }
}
