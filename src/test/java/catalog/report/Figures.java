package catalog.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one scenario measured: named figures, tables and a request timeline. A test asks for it as
 * a parameter (with {@code @ExtendWith(SpecReport.class)}) and records what it saw; the run's
 * report is written from these records, so every figure in it comes from the run.
 */
public final class Figures {
    /** One measured value, e.g. ("time to promotion", 10.4, "s"). */
    public record Figure(String name, double value, String unit) {}

    /** A table such as the cache timings table; cells are already formatted. */
    public record Table(String title, List<String> header, List<List<String>> rows) {}

    /**
     * One row of a table that many scenarios fill, such as the failure catalogue (a row per fault):
     * the report joins the rows of every scenario under one title into one table at its top.
     */
    public record SummaryRow(String table, List<String> header, List<String> cells) {}

    private final String scenario;
    private volatile Outcome outcome = Outcome.UNKNOWN;
    private final List<Figure> figures = Collections.synchronizedList(new ArrayList<>());
    private final List<Table> tables = Collections.synchronizedList(new ArrayList<>());
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private final List<SummaryRow> summaryRows = Collections.synchronizedList(new ArrayList<>());
    private final List<Timeline> timelines = Collections.synchronizedList(new ArrayList<>());

    Figures(String scenario) {
        this.scenario = scenario;
    }

    public void record(String name, double value, String unit) {
        figures.add(new Figure(name, value, unit));
    }

    public void table(String title, List<String> header, List<List<String>> rows) {
        tables.add(new Table(title, List.copyOf(header), rows.stream().map(List::copyOf).toList()));
    }

    public void note(String text) {
        notes.add(text);
    }

    /** Adds this scenario's row to the shared table {@code table} (same header in every scenario). */
    public void summaryRow(String table, List<String> header, List<String> cells) {
        if (header.size() != cells.size()) {
            throw new IllegalArgumentException(table + ": " + cells.size() + " cells for " + header.size() + " columns");
        }
        summaryRows.add(new SummaryRow(table, List.copyOf(header), List.copyOf(cells)));
    }

    /** A timeline whose clock starts now; see {@link Timeline}. */
    public Timeline timeline(String title) {
        Timeline timeline = new Timeline(title);
        timelines.add(timeline);
        return timeline;
    }

    public String scenario() {
        return scenario;
    }

    public List<Figure> figures() {
        return List.copyOf(figures);
    }

    public List<Table> tables() {
        return List.copyOf(tables);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    public List<Timeline> timelines() {
        return List.copyOf(timelines);
    }

    public List<SummaryRow> summaryRows() {
        return List.copyOf(summaryRows);
    }

    Outcome outcome() {
        return outcome;
    }

    void outcome(Outcome ended) {
        outcome = ended;
    }

    boolean isEmpty() {
        return figures.isEmpty() && tables.isEmpty() && notes.isEmpty() && timelines.isEmpty() && summaryRows.isEmpty();
    }
}
