package catalog.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins the {@link Figures.SummaryRow}s of all scenarios into one table per title, in the order the
 * scenarios ran. A row from a scenario that did not pass says so in its first cell, as a scenario's
 * own figures do, so a suspect figure never reads like a measured one.
 */
final class SummaryTables {
    private SummaryTables() {}

    static List<Figures.Table> of(List<Figures> scenarios) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        Map<String, List<List<String>>> rows = new LinkedHashMap<>();
        for (Figures scenario : scenarios) {
            for (Figures.SummaryRow row : scenario.summaryRows()) {
                headers.putIfAbsent(row.table(), row.header());
                rows.computeIfAbsent(row.table(), t -> new ArrayList<>()).add(flagged(row.cells(), scenario.outcome()));
            }
        }
        return headers.entrySet().stream()
                .map(e -> new Figures.Table(e.getKey(), e.getValue(), rows.get(e.getKey())))
                .toList();
    }

    /** The failure catalogue's table, which the report shows first. */
    static boolean isCatalogue(Figures.Table summary) {
        return summary.title().startsWith("Failure catalogue");
    }

    private static List<String> flagged(List<String> cells, Outcome outcome) {
        if (outcome == Outcome.PASSED || outcome == Outcome.UNKNOWN || cells.isEmpty()) {
            return cells;
        }
        List<String> marked = new ArrayList<>(cells);
        marked.set(0, cells.get(0) + " (" + outcome.name().toLowerCase() + ": figures suspect)");
        return marked;
    }
}
