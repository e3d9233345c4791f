package catalog.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every request of a scenario over time, on named lanes ("read", "write"), with the moments that
 * matter marked ("kill", "promotion", "rejoin"). Times are milliseconds since the timeline began.
 * Thread-safe: load generators record from several threads.
 */
public final class Timeline {
    public record Request(String lane, long startMillis, long durationMillis, boolean ok) {}

    public record Mark(String label, long atMillis) {}

    private final String title;
    private final long originNanos = System.nanoTime();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<Mark> marks = Collections.synchronizedList(new ArrayList<>());

    Timeline(String title) {
        this.title = title;
    }

    /** Milliseconds since this timeline began. */
    public long now() {
        return (System.nanoTime() - originNanos) / 1_000_000;
    }

    /** Records a request that started at {@code startMillis} (from {@link #now()}) and ended now. */
    public void request(String lane, long startMillis, boolean ok) {
        requests.add(new Request(lane, startMillis, Math.max(0, now() - startMillis), ok));
    }

    /** Records a request whose times were measured elsewhere (replayed logs, synthetic data). */
    public void request(String lane, long startMillis, long durationMillis, boolean ok) {
        requests.add(new Request(lane, startMillis, Math.max(0, durationMillis), ok));
    }

    public void mark(String label) {
        marks.add(new Mark(label, now()));
    }

    /** Marks a moment measured elsewhere, e.g. the promotion time read from Patroni's history. */
    public void mark(String label, long atMillis) {
        marks.add(new Mark(label, atMillis));
    }

    public String title() {
        return title;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Mark> marks() {
        return List.copyOf(marks);
    }
}
