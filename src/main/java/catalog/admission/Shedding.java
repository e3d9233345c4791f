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
        QUEUE_FULL("queue_full", "the server is at capacity (its work queue is full); retry shortly", 1),
        /** The request waited in the work queue past its budget: its client has likely given up. */
        QUEUE_TIMEOUT("queue_timeout", "the server could not start the request in time; retry shortly", 1),
        /** The write lane's waiting room was full (writes are stalled or far too many). */
        WRITES_FULL("writes_full", "too many writes are waiting (the database may be slow or failing over); retry shortly", 2),
        /** The write waited for a write thread past its budget. */
        WRITES_TIMEOUT("writes_timeout", "the write could not start in time (the database may be slow or failing over); retry shortly", 2),
        /** Every database read slot stayed taken for the whole read budget. */
        DB_READ("db_read", "too many database reads are in progress; retry shortly", 2);

        private final String label;
        private final String detail;
        private final int retryAfterSeconds;

        Reason(String label, String detail, int retryAfterSeconds) {
            this.label = label;
            this.detail = detail;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /** Seconds a refused client should wait before retrying. */
        public int retryAfterSeconds() {
            return retryAfterSeconds;
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
