package catalog.ha;

import catalog.ha.Verdict.Judgement;
import catalog.history.CheckedHistory;
import catalog.history.Linearizability;
import catalog.lab.ApiContainer;
import catalog.lab.ApiTier;
import catalog.lab.ContainerLog;
import catalog.lab.Eventually;
import catalog.lab.PatroniNode;
import catalog.lab.Probe;
import catalog.lab.ProductsLab;
import catalog.report.Figures;
import catalog.report.Timeline;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One row of the failure catalogue as it runs: the steady load and the samplers start, the row
 * injects its fault and repairs it (the verbs below mark the timeline), and {@link #judge()} waits
 * for the cluster to heal by itself, stops everything, records the figures and the catalogue row,
 * and fails the scenario with every violation of the {@link Verdict}.
 */
final class CatalogueRun implements AutoCloseable {
    static final String CATALOGUE = "Failure catalogue";
    static final List<String> COLUMNS = List.of("fault", "write unavailability", "first write after the fault",
            "failed writes", "failed reads", "acknowledged writes lost", "split-brain samples",
            "two primaries", "time to healed");

    /** An action that may throw, such as a fault. */
    interface Step {
        void run() throws Exception;
    }

    private final ProductsLab lab;
    private final CatalogueRow row;
    private final Figures figures;
    private final Timeline timeline;
    private final Instant origin = Instant.now();
    private final RequestLedger ledger;
    private final SyncCommitSampler commits;
    private final RoutingSampler routing;
    private final List<Probe<?>> extraProbes = new ArrayList<>();
    private CheckedHistory history;
    private Long faultAt;
    private Long repairedAt;
    private boolean closed;

    private CatalogueRun(ProductsLab lab, CatalogueRow row, Figures figures) {
        this.lab = lab;
        this.row = row;
        this.figures = figures;
        this.timeline = figures.timeline(row.fault());
        this.ledger = new RequestLedger(row.fault(), lab::entry, timeline);
        this.commits = new SyncCommitSampler(lab.cluster().nodes(), timeline::now);
        this.routing = new RoutingSampler(lab.cluster().haproxies(), timeline::now);
    }

    /**
     * Starts the load and the samplers, and returns once the load works. The lab's extension closes
     * the run after the scenario, whatever happened.
     */
    static CatalogueRun start(ProductsLab lab, CatalogueRow row, Figures figures) throws SQLException {
        try (var leader = lab.cluster().leader().connectAsApi()) {
            SyncCommitSampler.createTable(leader);
        }
        CatalogueRun run = lab.apis().add(new CatalogueRun(lab, row, figures));
        run.ledger.awaitBaseline(Duration.ofSeconds(30));
        run.history = CheckedHistory.start(row.fault(), lab.entry(), stalenessMillis(lab));
        return run;
    }

    /**
     * How stale a read the history may show: none through one instance (the docs promise
     * linearizable reads per product there). Through the front, a read on one instance may be served
     * from its near copy after a write on the other until the invalidation arrives: the design bound
     * is the feed's heartbeat (100 ms at the default Redis timeout, InvalidationFeed.heartbeatFor),
     * but the figure the spec holds the near copies to on this shared 2-core machine is
     * NearCacheIT's 1 s (its Staleness.BOUND: the heartbeat plus room for a loaded machine), so 1 s
     * is used here too: a tighter figure would judge the machine's load, not the API.
     */
    private static long stalenessMillis(ProductsLab lab) {
        return lab.apiTier().instances().size() > 1 ? 1000 : 0;
    }

    /** Milliseconds on the row's clock (its timeline's). */
    long now() {
        return timeline.now();
    }

    /** The row's clock at a moment measured elsewhere, e.g. a log line's timestamp. */
    long at(Instant moment) {
        return Duration.between(origin, moment).toMillis();
    }

    Instant origin() {
        return origin;
    }

    /** Injects the fault: its moment is where the row's figures count from. */
    void inject(String what, Step fault) throws Exception {
        timeline.mark(what);
        if (faultAt == null) {
            faultAt = now();
        }
        fault.run();
    }

    /** Lets the fault last. */
    void hold(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    /** Injects the outage, lets it last, then repairs it: the usual life of a row's fault. */
    void endure(Outage outage, Duration lasting) throws Exception {
        inject(outage);
        hold(lasting);
        repair(outage);
    }

    /** Injects the outage; for a row that does more than wait before its repair. */
    void inject(Outage outage) throws Exception {
        inject(outage.fault(), outage.inject());
    }

    /** Repairs the outage (see {@link #repair(String, Step)}). */
    void repair(Outage outage) throws Exception {
        repair(outage.repair(), outage.undo());
    }

    /** Ends the fault (start, thaw, reconnect); from here the cluster must heal without help. */
    void repair(String what, Step repair) throws Exception {
        repair.run();
        repairedAt = now();
        timeline.mark(what);
    }

    void mark(String what) {
        timeline.mark(what);
    }

    /** Waits until writes work again after the fault (within the row's bound, plus room to fail it clearly). */
    void awaitWritesBack() throws InterruptedException {
        long fault = faultAt == null ? now() : faultAt;
        Eventually.until("writes back after the fault", row.writesBackWithin().plusSeconds(20),
                () -> Verdict.writesBackAfter(ledger.writes(), fault).isPresent());
    }

    /**
     * The {@code p}-th percentile (0 to 1) of the row's database reads that started in
     * {@code [fromMillis, toMillis)} on the row's clock, failed ones included, in milliseconds.
     */
    long readLatencyPercentile(double p, long fromMillis, long toMillis) {
        long[] ms = ledger.reads().stream().filter(a -> a.startMillis() >= fromMillis && a.startMillis() < toMillis)
                .mapToLong(Probe.Attempt::durationMillis).sorted().toArray();
        if (ms.length == 0) {
            throw new AssertionError("no read started between " + fromMillis + " and " + toMillis + " ms");
        }
        return ms[Math.min(ms.length - 1, (int) Math.ceil(p * ms.length) - 1)];
    }

    /**
     * A probe of the row's own beside the steady load (e.g. cache hits), on the row's clock and
     * timeline, every {@link RequestLedger#PACE}; stopped with the load.
     */
    <T> Probe<T> probe(String lane, java.util.concurrent.Callable<T> attempt) {
        Probe<T> probe = Probe.every(RequestLedger.PACE, lane, timeline, attempt);
        extraProbes.add(probe);
        return probe;
    }

    /** When the fault was injected, on the row's clock. */
    long faultAt() {
        return faultAt == null ? now() : faultAt;
    }

    /** Waits for the first write refused after the fault; returns when it started, on the row's clock. */
    long awaitWriteRefused() throws InterruptedException {
        long fault = faultAt();
        Eventually.until("a write refused after the fault", Duration.ofSeconds(30),
                () -> ledger.writes().stream().anyMatch(a -> a.startMillis() >= fault && !a.ok()));
        return ledger.writes().stream().filter(a -> a.startMillis() >= fault && !a.ok())
                .mapToLong(Probe.Attempt::startMillis).min().orElseThrow();
    }

    /** Milliseconds from the fault to the start of the last failed write (0 when none failed). */
    long lastFailedWriteSinceFault() {
        long fault = faultAt();
        return ledger.writes().stream().filter(a -> a.startMillis() >= fault && !a.ok())
                .mapToLong(a -> a.startMillis() - fault).max().orElse(0);
    }

    /** Milliseconds from the fault to a moment on the row's clock. */
    long sinceFault(long at) {
        return at - (faultAt == null ? 0 : faultAt);
    }

    /** When a node logged a line containing {@code text} since the fault, on the row's clock. */
    Optional<Long> logged(PatroniNode node, String text) {
        Instant since = origin.plusMillis(faultAt == null ? 0 : faultAt);
        return ContainerLog.first(node, since, line -> line.contains(text)).map(line -> at(line.at()));
    }

    /** The first line a node logged since the fault that contains {@code text}, e.g. to show why it acted. */
    Optional<String> loggedLine(PatroniNode node, String text) {
        Instant since = origin.plusMillis(faultAt == null ? 0 : faultAt);
        return ContainerLog.first(node, since, line -> line.contains(text)).map(ContainerLog.Line::text);
    }

    Figures figures() {
        return figures;
    }

    /** Every write of the load so far (a row that judges more than the verdict does reads them). */
    List<Probe.Attempt<RequestLedger.Acknowledged>> writes() {
        return ledger.writes();
    }

    /**
     * Waits, without acting, for the cluster to heal; lets the load run on for a few writes; then
     * stops it, judges the row, records its figures and fails with every violation.
     */
    Judgement judge() throws Exception {
        long fault = faultAt == null ? now() : faultAt;
        long repaired = repairedAt == null ? fault : repairedAt;
        long healedAt = awaitRecovery("healed", () -> lab.cluster().awaitHealed(row.healedWithin().plusSeconds(30)),
                timeline, figures, ledger);
        close();
        Linearizability.Judgement linearizability = history.stopAndJudge(figures);
        PatroniNode leader = lab.cluster().leader();
        Verdict.Evidence evidence = new Verdict.Evidence(ledger.writes(), ledger.reads(), storedOn(leader),
                commits.samples(), probesOn(leader), routing.samples(), fault, repaired, healedAt);
        Judgement judgement = Verdict.judge(row, evidence);
        record(judgement, fault);
        List<String> violations = new ArrayList<>(judgement.violations());
        CheckedHistory.violation(linearizability).ifPresent(violations::add);
        if (!violations.isEmpty()) {
            throw new AssertionError(row.fault() + ": " + String.join("; ", violations));
        }
        return judgement;
    }

    private void record(Judgement j, long fault) {
        for (PatroniNode node : lab.cluster().nodes()) {
            logged(node, "promoted self to leader").ifPresent(at -> {
                timeline.mark("promotion", at);
                figures.record(node + " promoted after", (at - fault) / 1000.0, "s");
            });
            logged(node, "emoting self").ifPresent(at -> {
                timeline.mark("demotion", at);
                figures.record(node + " demoted itself after", (at - fault) / 1000.0, "s");
            });
        }
        recordJudgement(figures, row.fault(), j, true);
        figures.note("Commit level of the probe writes (synchronous_commit): " + commits.commitLevel()
                + ". Sync-commit probes acknowledged per node: " + acknowledgedPerNode() + ".");
        failures(figures, ledger.writes(), ledger.reads(), fault);
        recordPoolWarnings(fault);
    }

    /**
     * What the API instances said of their database pools since the fault (the pools renewed after a
     * broken connection, the read pool resting): which pool a failed read met.
     */
    private void recordPoolWarnings(long fault) {
        List<List<String>> rows = new ArrayList<>();
        for (ApiContainer instance : lab.apiTier().instances()) {
            for (ContainerLog.Line line : ContainerLog.since(instance, origin.plusMillis(fault))) {
                if (line.text().contains("WARNING catalog.db.")) {
                    rows.add(List.of(String.format(Locale.ROOT, "%.1f", (at(line.at()) - fault) / 1000.0),
                            ApiTier.nameOf(instance), line.text().strip()));
                }
            }
        }
        if (!rows.isEmpty()) {
            figures.table("the API instances on their database pools after the fault (s after it)",
                    List.of("at", "instance", "line"), rows.subList(0, Math.min(rows.size(), 40)));
        }
    }

    /**
     * Waits for the lab to be whole again ({@code await}), marks {@code mark} on the timeline and lets
     * a few writes through; returns when it was whole, or a time past any run (Long.MAX_VALUE / 2,
     * judged "not healed") with a note saying why.
     */
    static long awaitRecovery(String mark, Step await, Timeline timeline, Figures figures, RequestLedger ledger)
            throws Exception {
        long healedAt;
        try {
            await.run();
            healedAt = timeline.now();
            timeline.mark(mark);
        } catch (AssertionError notHealed) {
            figures.note("Not " + mark + ": " + notHealed.getMessage());
            return Long.MAX_VALUE / 2;
        }
        ledger.awaitWritesFrom(healedAt, 5, Duration.ofSeconds(20));
        return healedAt;
    }

    /**
     * A row's verdict as figures and as its line in the catalogue table. Where no commit probe ran on
     * each node and no HAProxy was sampled ({@code commitsSampled} false: the several-hosts lab),
     * those cells say so instead of showing a zero nothing measured.
     */
    static void recordJudgement(Figures figures, String fault, Judgement j, boolean commitsSampled) {
        figures.record("write unavailability", j.writeUnavailableMillis() / 1000.0, "s");
        j.firstWriteAfterMillis().ifPresent(ms -> figures.record("first write after the fault", ms / 1000.0, "s"));
        figures.record("acknowledged writes", j.acknowledged(), "");
        figures.record("failed writes", j.failedWrites(), "");
        figures.record("failed reads", j.failedReads(), "");
        figures.record("acknowledged writes lost", j.lost().size(), "");
        figures.record("ids acknowledged twice", j.duplicateIds().size(), "");
        if (commitsSampled) {
            figures.record("split-brain samples (half seconds with two nodes acknowledging)", j.splitBrainSlots(), "");
            figures.record("acknowledged probe commits missing on the final leader", j.lostProbeCommits(), "");
            figures.record("HAProxy samples routing writes to two nodes", j.doubleRoutingSamples(), "");
        }
        figures.record("two primaries (both nodes out of recovery)", j.twoPrimaryMillis() / 1000.0, "s");
        figures.record("time to healed", j.healedAfterMillis() / 1000.0, "s");
        figures.summaryRow(CATALOGUE, COLUMNS, List.of(fault,
                seconds(j.writeUnavailableMillis()),
                j.firstWriteAfterMillis().map(CatalogueRun::seconds).orElse("never"),
                String.valueOf(j.failedWrites()),
                String.valueOf(j.failedReads()),
                j.lost().size() + " of " + j.acknowledged(),
                commitsSampled ? String.valueOf(j.splitBrainSlots()) : "not sampled",
                seconds(j.twoPrimaryMillis()),
                j.healedAfterMillis() > Long.MAX_VALUE / 4 ? "not healed" : seconds(j.healedAfterMillis())));
    }

    private String acknowledgedPerNode() {
        Map<String, Long> counts = new HashMap<>();
        commits.samples().stream().filter(SyncCommitSampler.Sample::acknowledged)
                .forEach(s -> counts.merge(s.node(), 1L, Long::sum));
        return counts.toString();
    }

    /** Every failed request from the fault on (at most 40), as a table. */
    static void failures(Figures figures, List<? extends Probe.Attempt<?>> writes, List<? extends Probe.Attempt<?>> reads, long fault) {
        List<List<String>> rows = new ArrayList<>();
        addFailures(rows, "write", writes, fault);
        addFailures(rows, "read", reads, fault);
        rows.sort((a, b) -> Long.compare(Long.parseLong(a.get(1)), Long.parseLong(b.get(1))));
        if (!rows.isEmpty()) {
            figures.table("failed requests (ms after the fault)", List.of("request", "at", "took", "answer"),
                    rows.size() > 40 ? rows.subList(0, 40) : rows);
        }
    }

    private static void addFailures(List<List<String>> rows, String lane, List<? extends Probe.Attempt<?>> attempts, long fault) {
        attempts.stream().filter(a -> a.startMillis() >= fault && !a.ok()).forEach(a -> rows.add(List.of(lane,
                String.valueOf(a.startMillis() - fault), String.valueOf(a.durationMillis()),
                a.error().substring(a.error().indexOf(':') + 1).trim())));
    }

    private Map<Long, Verdict.Stored> storedOn(PatroniNode leader) throws SQLException {
        List<Long> ids = ledger.writes().stream().filter(Probe.Attempt::ok).map(a -> a.value().id()).toList();
        Map<Long, Verdict.Stored> stored = new HashMap<>();
        try (Connection c = leader.connectAsApi();
             PreparedStatement s = c.prepareStatement("select id, name, price from products where id = any(?)")) {
            s.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getLong(1), new Verdict.Stored(rs.getString(2), rs.getBigDecimal(3)));
                }
            }
        }
        return stored;
    }

    private java.util.Set<Long> probesOn(PatroniNode leader) throws SQLException {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        try (Connection c = leader.connectAsApi();
             ResultSet rs = c.createStatement().executeQuery("select id from sync_commit_probe")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** Stops the load and the samplers (also when a row failed before its verdict). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ledger.close();
            if (history != null) {
                history.close();
            }
            extraProbes.forEach(Probe::close);
            commits.close();
            routing.close();
        }
    }
}
