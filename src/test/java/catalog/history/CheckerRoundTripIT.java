package catalog.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import catalog.report.SpecReport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files {@link HistoryFile} writes, judged by the real checker mvn verify built (no Docker):
 * histories recorded one call after another, so that their order is certain.
 */
@Tag("api")
@DisplayName("The linearizability checker, on histories recorded in Java")
@ExtendWith(SpecReport.class)
class CheckerRoundTripIT {
    private final Linearizability checker = Linearizability.fromBuild();

    @TempDir
    Path dir;

    @Test
    @DisplayName("accepts a read that returns the write that ended before it began")
    void readAfterWrite() {
        History history = writeThenRead("read after write", true, "c1-1");

        Linearizability.Judgement judgement = checker.judge(HistoryFile.write(history, dir));

        assertThat(judgement.linearizable()).as(judgement.output()).isTrue();
        assertThat(judgement.operations()).isEqualTo(2);
    }

    @Test
    @DisplayName("accepts a write of unknown fate that a later read does not see")
    void unknownWriteNeverSeen() {
        History history = writeThenRead("unknown write", false, "initial-1");

        assertThat(checker.judge(HistoryFile.write(history, dir)).linearizable()).isTrue();
    }

    @Test
    @DisplayName("fails the scenario on a lost write, naming it, and writes the visualization and a summary row")
    void lostWrite() throws Exception {
        History history = writeThenRead("lost write", true, "initial-1");
        Path file = HistoryFile.write(history, dir);

        Linearizability.Judgement judgement = checker.judge(file);

        assertThat(judgement.exitCode()).isEqualTo(1);
        assertThatThrownBy(judgement::assertNoViolation)
                .hasMessageContaining("\"lost write\" is not linearizable")
                .hasMessageContaining("read(7) -> \"initial-1\"");
        assertThat(dir.resolve("lost-write.json.html")).exists();
        assertThat(Files.readString(dir.resolve("summary.md"))).contains("| lost write | 2 | 1 | NOT linearizable |");
    }

    @Test
    @DisplayName("records an unreadable file as undecided, not as a failure")
    void unreadable() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.json"), "{\"scenario\": \"broken\", \"operations\": [");

        Linearizability.Judgement judgement = checker.judge(file);

        assertThat(judgement.undecided()).isTrue();
        assertThat(judgement.output()).contains("broken.json");
        judgement.assertNoViolation();
    }

    /**
     * A history of one product, key "7", whose value was "initial-1" before any client acted: client 1
     * writes "c1-1" (acknowledged, or of unknown fate: a timeout), then client 2 reads and is answered
     * {@code readReturns}.
     */
    private static History writeThenRead(String scenario, boolean writeAcknowledged, String readReturns) {
        History history = new History(scenario, 0);
        history.initial("7", "initial-1");
        History.Call write = history.invoke(1, "7", History.Op.WRITE, "c1-1");
        if (writeAcknowledged) {
            history.ok(write);
        } else {
            history.unknown(write);
        }
        history.ok(history.invoke(2, "7", History.Op.READ, null), readReturns);
        return history;
    }
}
