package catalog.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class HtmlReportTest {
    static final RunInfo RUN = new RunInfo(Instant.parse("2026-11-27T18:00:00Z"), 2, "Linux", "OpenJDK 17");

    static Figures cacheScenario() {
        Figures figures = new Figures("Cache <b>timings</b> & \"breaker\"");
        figures.record("time to promotion", 10.4, "s");
        figures.record("failed writes", 3, "");
        figures.table("Before/after <cache>", List.of("case", "p50"),
                List.of(List.of("hit | <i>redis</i>", "0.4 ms"), List.of("miss", "2.1 ms")));
        figures.note("Redis paused: <1 ms & no timeout paid");
        Timeline timeline = figures.timeline("reads & writes");
        timeline.request("read", 0, 3, true);
        timeline.request("write", 10, 1, false);
        timeline.mark("kill", 5);
        figures.outcome(Outcome.PASSED);
        return figures;
    }

    /** A scenario that failed after recording a figure: both reports must flag its figures as suspect. */
    static Figures failedScenario() {
        Figures figures = new Figures("writes resume after promotion");
        figures.record("time to first write", 11.2, "s");
        figures.outcome(Outcome.FAILED);
        return figures;
    }

    @Test
    @DisplayName("figures, tables, notes and the timeline of each scenario are on the page")
    void showsEverything() {
        Document page = Xml.parse(HtmlReport.render(List.of(cacheScenario()), List.of(), RUN));

        assertThat(Xml.texts(page, "h2")).singleElement().asString().contains("Cache <b>timings</b> & \"breaker\"", "passed");
        assertThat(Xml.texts(page, "td")).contains("time to promotion", "10.4 s", "3", "hit | <i>redis</i>", "0.4 ms");
        assertThat(Xml.texts(page, "caption")).containsExactly("Before/after <cache>");
        assertThat(Xml.texts(page, "p")).contains("Redis paused: <1 ms & no timeout paid");
        assertThat(Xml.elements(page, "svg")).hasSize(1);
        assertThat(Xml.texts(page, "p")).anyMatch(p -> p.contains("2026-11-27T18:00:00 UTC on 2 cores"));
    }

    @Test
    @DisplayName("text from the run is escaped and the page loads nothing from outside")
    void isSafeAndSelfContained() {
        String html = HtmlReport.render(List.of(cacheScenario()), List.of(), RUN);

        assertThat(html).doesNotContain("<b>timings").doesNotContain("<i>redis").doesNotContain("<cache>");
        assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("src=").doesNotContain("@import");
        assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http:").doesNotContain("https:");
    }

    @Test
    @DisplayName("a failed scenario's figures are flagged as suspect")
    void flagsFailedScenarios() {
        Document page = Xml.parse(HtmlReport.render(List.of(failedScenario()), List.of(), RUN));

        assertThat(Xml.texts(page, "h2")).singleElement().asString().contains("failed: figures suspect");
    }

    @Test
    @DisplayName("the page opens with the failure catalogue, then one sentence per chapter, then the scenarios")
    void opensWithTheCatalogueAndTheChapters() {
        Figures row = new Figures("leader killed");
        row.summaryRow("Failure catalogue", List.of("fault", "failed writes"), List.of("leader killed", "11"));
        row.outcome(Outcome.PASSED);
        List<String> chapters = List.of("cache: 7 scenario classes, 41 scenarios passed: <all> of it.");

        String html = HtmlReport.render(List.of(cacheScenario(), row), chapters, RUN);

        Document page = Xml.parse(html);
        assertThat(Xml.texts(page, "h2")).startsWith("Failure catalogue", "What each chapter proved in this run");
        assertThat(Xml.texts(page, "li")).contains("cache: 7 scenario classes, 41 scenarios passed: <all> of it.");
        assertThat(html.indexOf("leader killed")).isLessThan(html.indexOf("41 scenarios passed"));
        assertThat(html.indexOf("41 scenarios passed")).isLessThan(html.indexOf("<nav>"));
    }

    @Test
    @DisplayName("a run without figures says so")
    void saysWhenEmpty() {
        assertThat(Xml.texts(Xml.parse(HtmlReport.render(List.of(), List.of(), RUN)), "p"))
                .contains("No scenario recorded figures in this run.");
    }
}
