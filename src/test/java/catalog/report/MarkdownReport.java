package catalog.report;

import java.util.List;
import java.util.Locale;

/** Renders the run's figures as Markdown. */
final class MarkdownReport {
    private MarkdownReport() {}

    static String render(List<Figures> scenarios) {
        StringBuilder md = new StringBuilder("# Specification report\n\n");
        for (Figures scenario : scenarios) {
            md.append("## ").append(scenario.scenario()).append("\n\n");
            for (Figures.Figure f : scenario.figures()) {
                md.append(String.format(Locale.ROOT, "- %s: %.3f %s%n", f.name(), f.value(), f.unit()));
            }
            for (Figures.Table t : scenario.tables()) {
                md.append("\n**").append(t.title()).append("**\n\n");
                md.append("| ").append(String.join(" | ", t.header())).append(" |\n");
                md.append("|").append("---|".repeat(t.header().size())).append('\n');
                for (List<String> row : t.rows()) {
                    md.append("| ").append(String.join(" | ", row)).append(" |\n");
                }
            }
            for (String note : scenario.notes()) {
                md.append("\n").append(note).append('\n');
            }
            md.append('\n');
        }
        return md.toString();
    }
}
