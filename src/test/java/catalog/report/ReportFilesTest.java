package catalog.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {

    @Test
    @DisplayName("the report directory gets report.md, report.html and one SVG per timeline")
    void writesAllFiles(@TempDir Path dir) throws IOException {
        ReportFiles.write(dir.resolve("spec-report"), List.of(HtmlReportTest.cacheScenario()), List.of(), HtmlReportTest.RUN);

        Path report = dir.resolve("spec-report");
        assertThat(report.resolve("report.md")).content().contains("![reads & writes](timeline-1-reads-writes.svg)");
        assertThat(report.resolve("report.html")).isNotEmptyFile();
        String svg = Files.readString(report.resolve("timeline-1-reads-writes.svg"));
        assertThat(Xml.elements(Xml.parse(svg), "svg")).hasSize(1);
    }

    @Test
    @DisplayName("timelines left by an earlier run are removed, so every picture comes from this run")
    void removesEarlierTimelines(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("timeline-7-old-scenario.svg"), "<svg/>");
        Files.writeString(dir.resolve("notes.txt"), "not ours");

        ReportFiles.write(dir, List.of(HtmlReportTest.cacheScenario()), List.of(), HtmlReportTest.RUN);

        try (var files = Files.list(dir)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .contains("timeline-1-reads-writes.svg", "notes.txt")
                    .doesNotContain("timeline-7-old-scenario.svg");
        }
    }

    @Test
    @DisplayName("timeline file names are safe whatever the title")
    void slugs() {
        assertThat(ReportFiles.slug("Hard kill: reads & writes")).isEqualTo("hard-kill-reads-writes");
        assertThat(ReportFiles.slug("../../etc/passwd")).isEqualTo("etc-passwd");
        assertThat(ReportFiles.slug("***")).isEqualTo("timeline");
    }
}
