package catalog.report;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes report.md, report.html and one SVG per timeline into the report directory. */
final class ReportFiles {
    private ReportFiles() {}

    static void write(Path dir, List<Figures> scenarios, List<String> chapters, RunInfo run) throws IOException {
        Files.createDirectories(dir);
        removeEarlierTimelines(dir);
        Map<Timeline, String> svgFiles = new IdentityHashMap<>();
        for (Figures scenario : scenarios) {
            for (Timeline timeline : scenario.timelines()) {
                String name = String.format(Locale.ROOT, "timeline-%d-%s.svg", svgFiles.size() + 1, slug(timeline.title()));
                svgFiles.put(timeline, name);
                Files.writeString(dir.resolve(name), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + TimelineSvg.render(timeline));
            }
        }
        Files.writeString(dir.resolve("report.md"), MarkdownReport.render(scenarios, chapters, run, svgFiles::get));
        // Each summary table also alone, e.g. summary-failure-catalogue.md, for docs/failure-catalogue.md to quote.
        for (Figures.Table summary : SummaryTables.of(scenarios)) {
            Files.writeString(dir.resolve("summary-" + slug(summary.title()) + ".md"),
                    "# " + summary.title() + "\n\n" + run.describe() + "\n\n" + MarkdownReport.table(summary));
        }
        Files.writeString(dir.resolve("report.html"), HtmlReport.render(scenarios, chapters, run));
    }

    /** A timeline or summary left by an earlier run would pass for one measured in this run. */
    private static void removeEarlierTimelines(Path dir) throws IOException {
        try (DirectoryStream<Path> earlier = Files.newDirectoryStream(dir, "{timeline-*.svg,summary-*.md}")) {
            for (Path file : earlier) {
                Files.delete(file);
            }
        }
    }

    /** A file-name-safe form of a title: "Hard kill: reads & writes" becomes "hard-kill-reads-writes". */
    static String slug(String title) {
        String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "timeline" : slug;
    }
}
