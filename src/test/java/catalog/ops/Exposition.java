package catalog.ops;

import java.util.function.Consumer;

/** What a metrics source writes in Prometheus' text format, as one scrape of /metrics would read it. */
final class Exposition {
    private Exposition() {
    }

    static String of(Consumer<PrometheusText> source) {
        PrometheusText text = new PrometheusText();
        source.accept(text);
        return text.toString();
    }
}
