package catalog.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The reads and writes a scenario made, as its clients saw them: each operation's call and return
 * on one monotonic clock (nanoseconds since the history began), and its fate. Thread-safe: the
 * clients of a workload record into one history. {@link HistoryFile} writes it for the checker.
 *
 * <pre>
 * History.Call call = history.invoke(client, "7", History.Op.WRITE, "c1-42");
 * ... send the request ...
 * history.ok(call);   // a read: ok(call, valueItReturned); else failed(call) or unknown(call)
 * </pre>
 */
public final class History {
    /** What an operation does to its key (a product id): a read returns its name, a write sets it. */
    public enum Op { READ, WRITE }

    /**
     * OK: took effect between call and return. FAILED: never took effect (a 4xx, a refused
     * connection). UNKNOWN: may have taken effect at any time after its call, or never (a
     * timeout, a lost connection, a 5xx after the request may have reached the database).
     */
    public enum Fate { OK, FAILED, UNKNOWN }

    /** An operation under way: who, what, and when it was called. */
    public record Call(int client, String key, Op op, String value, long callNanos) {}

    /**
     * One finished operation. {@code value}: what a write wrote, or what a read returned (null: the
     * product did not exist). {@code returnNanos} is null when no answer came.
     */
    public record Operation(int client, String key, Op op, String value, long callNanos, Long returnNanos, Fate fate) {}

    private final String scenario;
    private final long stalenessMillis;
    private final long startNanos = System.nanoTime();
    private final Map<String, String> initial = new LinkedHashMap<>();
    private final List<Operation> operations = new ArrayList<>();

    /**
     * A history judged against strict linearizability ({@code stalenessMillis} 0) or against reads
     * that may be that much out of date (the near copies' bound across API instances).
     */
    public History(String scenario, long stalenessMillis) {
        if (stalenessMillis < 0) {
            throw new IllegalArgumentException("stalenessMillis must not be negative, got " + stalenessMillis);
        }
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.stalenessMillis = stalenessMillis;
    }

    /** The key's value before any operation of the history (a key never given one starts absent). */
    public synchronized void initial(String key, String value) {
        initial.put(key, Objects.requireNonNull(value, "an initial value (absent is the default)"));
    }

    /** Marks the call: take it just before the request goes out. */
    public Call invoke(int client, String key, Op op, String value) {
        return new Call(client, key, op, value, now());
    }

    /** The write took effect. */
    public void ok(Call call) {
        if (call.op() != Op.WRITE) {
            throw new IllegalArgumentException("a read that took effect returned a value: ok(call, value)");
        }
        record(call, call.value(), now(), Fate.OK);
    }

    /** The read took effect and returned {@code value} (null: there was no such product). */
    public void ok(Call call, String value) {
        if (call.op() != Op.READ) {
            throw new IllegalArgumentException("a write that took effect is ok(call): it wrote " + call.value());
        }
        record(call, value, now(), Fate.OK);
    }

    public void failed(Call call) {
        record(call, call.value(), now(), Fate.FAILED);
    }

    /** No answer that tells: the return time is unknown too, so none is kept. */
    public void unknown(Call call) {
        record(call, call.value(), null, Fate.UNKNOWN);
    }

    public String scenario() {
        return scenario;
    }

    public long stalenessMillis() {
        return stalenessMillis;
    }

    public synchronized Map<String, String> initialValues() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(initial));
    }

    /** The operations so far, by call time. */
    public synchronized List<Operation> operations() {
        List<Operation> byCall = new ArrayList<>(operations);
        byCall.sort(Comparator.comparingLong(Operation::callNanos));
        return byCall;
    }

    /** The history's clock: nanoseconds since it began, what every call and return time is on. */
    public long now() {
        return System.nanoTime() - startNanos;
    }

    private synchronized void record(Call call, String value, Long returnNanos, Fate fate) {
        operations.add(new Operation(call.client(), call.key(), call.op(), value, call.callNanos(), returnNanos, fate));
    }
}
