package catalog.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryTablesTest {
    private static final List<String> HEADER = List.of("fault", "failed writes");

    @Test
    @DisplayName("rows that several scenarios add under one title become one table, in run order, a failed one flagged")
    void joinsRowsAcrossScenarios() {
        Figures kill = row("leader killed", "12", Outcome.PASSED);
        Figures freeze = row("leader frozen", "30", Outcome.FAILED);

        List<Figures.Table> tables = SummaryTables.of(List.of(kill, new Figures("no rows"), freeze));

        assertThat(tables).hasSize(1);
        assertThat(tables.get(0).title()).isEqualTo("Failure catalogue");
        assertThat(tables.get(0).header()).isEqualTo(HEADER);
        assertThat(tables.get(0).rows()).containsExactly(
                List.of("leader killed", "12"),
                List.of("leader frozen (failed: figures suspect)", "30"));
    }

    @Test
    @DisplayName("the joined table heads report.md and has its own file; an earlier run's summary file goes")
    void rendersAndWritesTheSummary(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("summary-old-table.md"), "stale");
        List<Figures> run = List.of(row("leader killed", "12", Outcome.PASSED), row("replica killed", "0", Outcome.PASSED));

        ReportFiles.write(dir, run, List.of(), HtmlReportTest.RUN);

        String md = Files.readString(dir.resolve("report.md"));
        assertThat(md).contains("## Failure catalogue\n\n| fault | failed writes |\n|---|---|\n"
                + "| leader killed | 12 |\n| replica killed | 0 |\n");
        assertThat(md.indexOf("## Failure catalogue")).isLessThan(md.indexOf("## leader killed"));
        assertThat(dir.resolve("summary-failure-catalogue.md")).content()
                .contains("Run finished 2026-11-27T18:00:00 UTC", "| replica killed | 0 |");
        assertThat(dir.resolve("summary-old-table.md")).doesNotExist();
        assertThat(Xml.elements(Xml.parse(Files.readString(dir.resolve("report.html"))), "table")).isNotEmpty();
    }

    @Test
    @DisplayName("a row whose cells do not match its header is refused")
    void refusesMismatchedRow() {
        Figures figures = new Figures("x");
        assertThatThrownBy(() -> figures.summaryRow("t", HEADER, List.of("only one")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Figures row(String fault, String failedWrites, Outcome outcome) {
        Figures figures = new Figures(fault);
        figures.summaryRow("Failure catalogue", HEADER, List.of(fault, failedWrites));
        figures.outcome(outcome);
        return figures;
    }
}
