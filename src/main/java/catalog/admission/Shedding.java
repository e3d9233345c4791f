package catalog.admission;

import catalog.ops.MetricSource;
import catalog.ops.PrometheusText;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Requests shed, by reason: {@code http_requests_shed_total{reason=...}} on /metrics. */
public final class Shedding implements MetricSource {
    /** Why a request was answered 503 without being run. */
    public enum Reason {
        /** The HTTP work queue was at its length bound when the request arrived. */
        QUEUE_FULL("queue_full", "the server is at capacity (its work queue is full); retry shortly"),
        /** The request waited in the work queue past its budget: its client has likely given up. */
        QUEUE_TIMEOUT("queue_timeout", "the server could not start the request in time; retry shortly"),
        /** Every database write slot stayed taken for the whole write budget. */
        DB_WRITE("db_write", "too many writes are in progress (the database may be slow); retry shortly"),
        /** Every database read slot stayed taken for the whole read budget. */
        DB_READ("db_read", "too many database reads are in progress; retry shortly");

        private final String label;
        private final String detail;

        Reason(String label, String detail) {
            this.label = label;
            this.detail = detail;
        }

        public String label() {
            return label;
        }

        /** What the problem document says to the client. */
        public String detail() {
            return detail;
        }
    }

    private final Map<Reason, LongAdder> shed = new EnumMap<>(Reason.class);

    public Shedding() {
        for (Reason reason : Reason.values()) {
            shed.put(reason, new LongAdder());
        }
    }

    public void count(Reason reason) {
        shed.get(reason).increment();
    }

    /** How many requests were shed for this reason (tests read it). */
    public long shed(Reason reason) {
        return shed.get(reason).sum();
    }

    @Override
    public void writeTo(PrometheusText out) {
        out.family("http_requests_shed_total", "counter",
                "Requests answered 503 without being run, because a bulkhead could not start them within its budget.");
        shed.forEach((reason, count) -> out.sample("http_requests_shed_total", count.sum(), "reason", reason.label()));
    }
}
