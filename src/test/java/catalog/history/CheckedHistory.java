package catalog.history;

import catalog.report.Figures;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The register workload run beside a scenario's own requests, for Porcupine to judge: 4 clients on 3
 * products of their own (created at the start), a request each every {@link #PAUSE} or so, until the
 * scenario stops them. {@link #stopAndJudge} writes the history to {@code histories/<scenario>.json},
 * has the checker judge it, and records the judgement in the scenario's figures and in the report's
 * "Linearizability (Porcupine)" table. A violation is the caller's to fail on ({@link #violation});
 * an undecided check (exit 2) is a finding the figures show, not a failure.
 *
 * <pre>
 * CheckedHistory history = CheckedHistory.start("leader killed", api, 0);
 * ... the scenario ...
 * history.stopAndJudge(figures).assertNoViolation();
 * </pre>
 */
public final class CheckedHistory implements AutoCloseable {
    public static final String TABLE = "Linearizability (Porcupine)";
    static final List<String> COLUMNS = List.of("scenario", "operations", "keys", "verdict", "time to check", "history");
    private static final int CLIENTS = 4;
    private static final int PRODUCTS = 3;
    /** Beside another load whose timings are asserted: about 80 requests/s in all, not as fast as the API answers. */
    private static final Duration PAUSE = Duration.ofMillis(50);
    /**
     * Longer than any wait the API allows itself (the catalogue ledger's deadline), so that during a
     * failover the API's own 503 comes back; a write answered 503, timed out or cut is recorded
     * unknown either way (RegisterWorkload), never failed.
     */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The clients stop by being told to; this only guards against a scenario that never tells them. */
    private static final Duration AT_MOST = Duration.ofMinutes(15);

    private final History history;
    private final RegisterWorkload load;

    private CheckedHistory(History history, RegisterWorkload load) {
        this.history = history;
        this.load = load;
    }

    /** Creates the products through {@code api} and starts the clients on them. */
    public static CheckedHistory start(String scenario, URI api, long stalenessMillis) {
        History history = new History(scenario, stalenessMillis);
        return new CheckedHistory(history, RegisterWorkload.start(api, history, CLIENTS, PRODUCTS, AT_MOST,
                Integer.MAX_VALUE, PAUSE, REQUEST_TIMEOUT));
    }

    /** Runs the workload for {@code period} (the caller holds its fault meanwhile), then judges it and fails on a violation. */
    public static Linearizability.Judgement during(String scenario, URI api, Duration period, Figures figures)
            throws InterruptedException {
        try (CheckedHistory history = start(scenario, api, 0)) {
            Thread.sleep(period.toMillis());
            return history.stopAndJudge(figures).assertNoViolation();
        }
    }

    /** Stops the clients (rethrowing what one of them met), writes the history, judges it, records the judgement. */
    public Linearizability.Judgement stopAndJudge(Figures figures) {
        load.stop();
        Path file = HistoryFile.write(history);
        Linearizability.Judgement judgement = Linearizability.fromBuild().judge(file);
        long unsettled = history.operations().stream().filter(op -> op.fate() != History.Fate.OK).count();
        figures.record("register workload: operations recorded", judgement.operations(), "");
        figures.record("register workload: operations with an unknown or failed fate", unsettled, "");
        figures.record("register workload: time to check", judgement.took().toMillis(), "ms");
        figures.note("History " + file.getFileName() + " (staleness " + history.stalenessMillis() + " ms): "
                + judgement.verdict() + (judgement.linearizable() ? "" : ". The checker said: " + judgement.output()));
        summarize(figures, judgement);
        return judgement;
    }

    /** The judgement's row in the report's "Linearizability (Porcupine)" table (also for a history judged elsewhere). */
    public static void summarize(Figures figures, Linearizability.Judgement judgement) {
        figures.summaryRow(TABLE, COLUMNS, List.of(judgement.scenario(), String.valueOf(judgement.operations()),
                String.valueOf(judgement.keys()), judgement.verdict(),
                String.format(Locale.ROOT, "%.1f s", judgement.took().toMillis() / 1000.0),
                visualization(judgement).orElse("")));
    }

    /** The violation as a sentence naming the file and the checker's words, if the checker found one. */
    public static Optional<String> violation(Linearizability.Judgement judgement) {
        return judgement.exitCode() == 1
                ? Optional.of("the history of \"" + judgement.scenario() + "\" is not linearizable (" + judgement.file()
                        + "):\n" + judgement.output())
                : Optional.empty();
    }

    /** Where the checker put Porcupine's visualization of a history it rejected (beside the file, .html). */
    private static Optional<String> visualization(Linearizability.Judgement judgement) {
        if (judgement.exitCode() != 1) {
            return Optional.empty();
        }
        return Optional.of("histories/" + judgement.file().getFileName() + ".html");
    }

    /** The history's clock now, in nanoseconds: what {@link #acknowledgedWrites()} are timed on. */
    public long clockNanos() {
        return history.now();
    }

    /** The writes that took effect so far, by call time. */
    public List<History.Operation> acknowledgedWrites() {
        return history.operations().stream()
                .filter(op -> op.op() == History.Op.WRITE && op.fate() == History.Fate.OK).toList();
    }

    /** Stops the clients without judging (a scenario that failed before its verdict). */
    @Override
    public void close() {
        load.close();
    }
}
