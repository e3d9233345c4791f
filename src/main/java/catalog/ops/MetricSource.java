package catalog.ops;

/** Something that contributes samples to {@code /metrics}: access log, cache, pools, breaker... */
@FunctionalInterface
public interface MetricSource {
    void writeTo(PrometheusText out);
}
