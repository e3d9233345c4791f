package catalog.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    @Test
    @DisplayName("figures and tables become Markdown tables whose cells cannot break the table")
    void rendersTables() {
        String md = MarkdownReport.render(List.of(HtmlReportTest.cacheScenario()), List.of(), HtmlReportTest.RUN, t -> "timeline-1.svg");

        assertThat(md).contains("| time to promotion | 10.4 s |", "| failed writes | 3 |");
        assertThat(md).contains("| hit \\| <i>redis</i> | 0.4 ms |");
        assertThat(md).contains("![reads & writes](timeline-1.svg)");
        assertThat(md).contains("Run finished 2026-11-27T18:00:00 UTC on 2 cores");
    }

    @Test
    @DisplayName("a failed scenario is flagged in Markdown too")
    void flagsFailedScenario() {
        assertThat(MarkdownReport.render(List.of(HtmlReportTest.failedScenario()), List.of(), HtmlReportTest.RUN, t -> ""))
                .contains("**Scenario failed:** its figures are suspect.");
    }

    @Test
    @DisplayName("a rejected history's visualization is linked from the Linearizability table, in Markdown and HTML")
    void linksVisualization() {
        Figures figures = new Figures("leader killed");
        figures.summaryRow("Linearizability (Porcupine)", List.of("scenario", "history"),
                List.of("leader killed", "histories/leader-killed.json.html"));
        figures.summaryRow("Linearizability (Porcupine)", List.of("scenario", "history"),
                List.of("histories/<b>.html", ""));

        assertThat(MarkdownReport.render(List.of(figures), List.of(), HtmlReportTest.RUN, t -> ""))
                .contains("## Linearizability (Porcupine)", "[histories/leader-killed.json.html](histories/leader-killed.json.html)");
        assertThat(HtmlReport.render(List.of(figures), List.of(), HtmlReportTest.RUN))
                .contains("<a href=\"histories/leader-killed.json.html\">").doesNotContain("<a href=\"histories/&lt;b");
    }
}
