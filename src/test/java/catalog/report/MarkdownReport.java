package catalog.report;

import java.util.List;
import java.util.function.Function;

/** Renders the run's figures as Markdown; timelines are linked as the SVG files written beside it. */
final class MarkdownReport {
    private MarkdownReport() {}

    static String render(List<Figures> scenarios, List<String> chapters, RunInfo run, Function<Timeline, String> svgFile) {
        StringBuilder md = new StringBuilder("# Specification report\n\n");
        md.append(run.describe()).append(" Every figure below was measured in this run.\n\n");
        List<Figures.Table> summaries = SummaryTables.of(scenarios);
        summaries.stream().filter(SummaryTables::isCatalogue).forEach(summary -> summary(md, summary));
        if (!chapters.isEmpty()) {
            md.append("## What each chapter proved in this run\n\n");
            chapters.forEach(sentence -> md.append("- ").append(inline(sentence)).append('\n'));
            md.append('\n');
        }
        if (scenarios.isEmpty()) {
            md.append("No scenario recorded figures in this run.\n");
        }
        summaries.stream().filter(summary -> !SummaryTables.isCatalogue(summary)).forEach(summary -> summary(md, summary));
        for (Figures scenario : scenarios) {
            md.append("## ").append(inline(scenario.scenario())).append("\n\n");
            if (scenario.outcome() != Outcome.PASSED && scenario.outcome() != Outcome.UNKNOWN) {
                md.append("**Scenario ").append(scenario.outcome().name().toLowerCase()).append(":** its figures are suspect.\n\n");
            }
            if (!scenario.figures().isEmpty()) {
                md.append("| figure | value |\n|---|---:|\n");
                for (Figures.Figure f : scenario.figures()) {
                    md.append("| ").append(cell(f.name())).append(" | ").append(cell(Quantity.withUnit(f.value(), f.unit()))).append(" |\n");
                }
                md.append('\n');
            }
            for (Figures.Table t : scenario.tables()) {
                md.append("**").append(inline(t.title())).append("**\n\n");
                table(md, t);
            }
            for (String note : scenario.notes()) {
                md.append(note).append("\n\n");
            }
            for (Timeline timeline : scenario.timelines()) {
                md.append("![").append(inline(timeline.title())).append("](").append(svgFile.apply(timeline)).append(")\n\n");
            }
        }
        return md.toString();
    }

    private static void summary(StringBuilder md, Figures.Table summary) {
        md.append("## ").append(inline(summary.title())).append("\n\n");
        table(md, summary);
    }

    /** A table alone, e.g. to quote in another document. */
    static String table(Figures.Table t) {
        StringBuilder md = new StringBuilder();
        table(md, t);
        return md.toString();
    }

    private static void table(StringBuilder md, Figures.Table t) {
        md.append(row(t.header()));
        md.append("|").append("---|".repeat(t.header().size())).append('\n');
        for (List<String> r : t.rows()) {
            md.append(row(r));
        }
        md.append('\n');
    }

    private static String row(List<String> cells) {
        StringBuilder line = new StringBuilder("|");
        for (String c : cells) {
            line.append(' ').append(cell(c)).append(" |");
        }
        return line.append('\n').toString();
    }

    /** A pipe or a newline inside a cell would break the table. */
    private static String cell(String text) {
        if (Markup.isHistoryVisualization(text)) {
            return "[" + text + "](" + text + ")";
        }
        return inline(text).replace("|", "\\|");
    }

    private static String inline(String text) {
        return text.replace("\r", "").replace('\n', ' ');
    }
}
