package catalog.history;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.RunningApi;
import catalog.StandaloneStack;
import catalog.WithStandaloneStack;
import catalog.report.Figures;
import catalog.report.SpecReport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole path of issue 21 once, end to end: clients read and replace products through one API
 * instance on PostgreSQL and Redis, the history goes to a file, and Porcupine judges it against the
 * promise the docs make: linearizable per product on one instance (staleness 0).
 */
@Tag("api")
@ExtendWith({WithStandaloneStack.class, SpecReport.class})
@DisplayName("Reads and writes of products through one API instance")
class RegisterWorkloadIT {
    private static final int CLIENTS = 4;
    private static final int PRODUCTS = 3;

    @Test
    @DisplayName("4 clients replacing and reading 3 products for 10 s leave a history Porcupine finds linearizable")
    void linearizablePerProduct(StandaloneStack stack, Figures figures) throws Exception {
        RunningApi api = stack.startApi();
        History history = new History("one API instance, 4 clients on 3 products", 0);
        try (RegisterWorkload load = RegisterWorkload.start(api.api().baseUri(), history, CLIENTS, PRODUCTS,
                Duration.ofSeconds(10), 50_000)) {
            load.awaitEnd(Duration.ofSeconds(30));
        }

        Linearizability.Judgement judgement = Linearizability.fromBuild().judge(HistoryFile.write(history));

        List<History.Operation> operations = history.operations();
        long ok = operations.stream().filter(op -> op.fate() == History.Fate.OK).count();
        figures.record("operations recorded", operations.size(), "");
        figures.record("operations with an unknown or failed fate", operations.size() - ok, "");
        figures.record("time to check", judgement.took().toMillis(), "ms");
        CheckedHistory.summarize(figures, judgement);
        assertThat(ok).as("a history long enough to mean something").isGreaterThanOrEqualTo(300);
        assertThat(judgement.linearizable()).as(judgement.output()).isTrue();
    }
}
