package catalog.ha;

import catalog.ha.Verdict.Judgement;
import catalog.history.CheckedHistory;
import catalog.history.History;
import catalog.history.Linearizability;
import catalog.lab.Probe;
import catalog.lab.SwarmHost;
import catalog.lab.SwarmLab;
import catalog.report.Figures;
import catalog.report.Timeline;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One row of the several-hosts catalogue as it runs on the {@link SwarmLab}: the catalogue's steady
 * load ({@link RequestLedger}) and the register workload Porcupine checks, both through the front of
 * a host the fault spares, and each database node's role sampled every second inside its task;
 * then the fault and its repair, and {@link #judge()}: the stack whole again by itself, the
 * catalogue's {@link Verdict}, the history checked, the row recorded in the same catalogue table.
 * The role samples stand for the catalogue's commit probes: the test reaches the nodes only through
 * the hosts' engines, not over JDBC, so "two primaries" is judged from pg_is_in_recovery() alone.
 */
final class HostLossRun implements AutoCloseable {
    private static final Duration ROLE_PACE = Duration.ofSeconds(1);
    /** Through a front, a read on one instance may lag a write on the other by its near copy's bound (CatalogueRun). */
    private static final long STALENESS_MILLIS = 1000;
    /**
     * grep's selection of the Patroni lines that change or explain who holds the leader lock, with
     * its etcd client's failures and moves to another member (when the lost host held the member a
     * leader talked to, it demoted itself: which requests failed, and for how long, says why).
     */
    private static final String LEADER_LOCK_LINES = "-E 'promoted self|emoting|session lock|failsafe|rewind|"
            + "different leader|starting as|released|Cleaning up|bootstrap|update leader lock|fencing|"
            + "Request to server|Retrying on|not accessible' | grep -v 'no action'";
    /** grep's selection of the API's lines on its database pools (renewed, the read pool resting). */
    private static final String DATABASE_POOL_LINES = "-F 'WARNING catalog.db.'";
    /**
     * grep's selection of HAProxy's lines on its servers: an instance down or up and why (a failed
     * check, a failed connection, a name Docker's DNS did not resolve), a backend left with none.
     * HAProxy writes each to its log and again, as a warning, to stderr: the log's copy is kept.
     */
    private static final String FRONT_SERVER_LINES = "-E 'Server apis|backend apis|no server available|DNS|resolv'"
            + " | grep -v -F '[WARNING]'";

    private final SwarmLab lab;
    private final CatalogueRow row;
    /** The host whose front the load goes through. */
    private final SwarmHost frontHost;
    private final Figures figures;
    private final Timeline timeline;
    private final Instant origin = Instant.now();
    private final RequestLedger ledger;
    private final Map<String, Probe<Boolean>> roles = new HashMap<>();
    private final CheckedHistory history;
    private Long faultAt;
    /** The fault on the register workload's clock (nanoseconds), read at the same instant as {@link #faultAt}. */
    private long faultOnHistoryClock;
    private Long repairBeganAt;
    private Long repairedAt;
    private boolean closed;

    private HostLossRun(SwarmLab lab, CatalogueRow row, SwarmHost frontHost, Figures figures) {
        URI front = lab.frontOn(frontHost);
        this.lab = lab;
        this.row = row;
        this.frontHost = frontHost;
        this.figures = figures;
        this.timeline = figures.timeline(row.fault());
        this.ledger = new RequestLedger(row.fault(), () -> front, timeline);
        for (String pg : List.of("pg-1", "pg-2")) {
            roles.put(pg, Probe.every(ROLE_PACE, pg + " primary?", timeline, () -> lab.isPrimary(pg)));
        }
        this.history = CheckedHistory.start(row.fault(), front, STALENESS_MILLIS);
    }

    /**
     * Starts the load through the front on {@code frontHost} and returns once it works and each
     * node's role was sampled.
     */
    static HostLossRun start(SwarmLab lab, CatalogueRow row, SwarmHost frontHost, Figures figures) {
        HostLossRun run = new HostLossRun(lab, row, frontHost, figures);
        try {
            run.ledger.awaitBaseline(Duration.ofSeconds(30));
            // A sample takes up to a second (psql through docker exec in the host): without this,
            // the fault came before the first one ended (CI run 26), and no role was known at it.
            run.roles.values().forEach(probe -> probe.awaitSuccesses(1, Duration.ofSeconds(30)));
        } catch (RuntimeException | Error e) {
            run.close();
            throw e;
        }
        return run;
    }

    long now() {
        return timeline.now();
    }

    /** Injects the fault: the row's figures count from here. */
    void inject(String what, CatalogueRun.Step fault) throws Exception {
        timeline.mark(what);
        faultAt = now();
        faultOnHistoryClock = history.clockNanos();
        fault.run();
    }

    /** Ends the fault; from here the stack must become whole without help. */
    void repair(String what, CatalogueRun.Step repair) throws Exception {
        repairBeganAt = now();
        repair.run();
        repairedAt = now();
        timeline.mark(what);
    }

    Timeline timeline() {
        return timeline;
    }

    /** Waits until writes work again after the fault, failing after {@code within}. */
    void awaitWritesBack(Duration within) {
        long fault = faultAt();
        catalog.lab.Eventually.until("writes back after the fault", within,
                () -> Verdict.writesBackAfter(ledger.writes(), fault).isPresent());
    }

    /** The fault: the whole host killed, every task on it at once. */
    void killHost(SwarmHost host) throws Exception {
        inject("kill host " + host, host::kill);
        // The fault counts from the command's start; the host dies somewhere before it returns, and a
        // request sent in between may still reach it (and wait for the front's timeout server).
        figures.record("docker kill of the host returned after", (now() - faultAt) / 1000.0, "s");
    }

    /** The repair: the host started again; it must rejoin and get its tasks back by itself. */
    void startHost(SwarmHost host) throws Exception {
        repair("start host " + host, host::start);
    }

    /** The host killed, left dead, started again. */
    void endureHostLoss(SwarmHost host, Duration down) throws Exception {
        killHost(host);
        Thread.sleep(down.toMillis());
        startHost(host);
    }

    /** When the fault was repaired, on the row's clock. */
    long repairedAt() {
        return repairedAt == null ? now() : repairedAt;
    }

    /**
     * When the repair began, on the row's clock: the fault is whole until here. A repair takes time
     * (a cut is lifted one host's rules after the other, each a command in that host), and a request
     * that started while it ran may already cross the repaired path.
     */
    long repairBeganAt() {
        return repairBeganAt == null ? now() : repairBeganAt;
    }

    long faultAt() {
        return faultAt == null ? now() : faultAt;
    }

    /** When a database node logged a line containing {@code text} since the fault, on the row's clock. */
    Optional<Long> logged(String pg, String text) throws Exception {
        return lab.logged(pg, origin.plusMillis(faultAt()), text).map(at -> Duration.between(origin, at).toMillis());
    }

    /**
     * When a node that was a replica at the fault (its last role sample before it) was first sampled
     * as a primary after it, on the row's clock; empty when it was not a replica then or never became
     * a primary. The samples judge this, not Patroni's words for it, which differ by the way it took
     * the lock.
     */
    Optional<Long> promotedAt(String pg) {
        long fault = faultAt();
        List<Probe.Attempt<Boolean>> samples = roles.get(pg).attempts();
        boolean replicaAtFault = samples.stream().filter(a -> a.ok() && a.endMillis() <= fault)
                .reduce((first, second) -> second).map(last -> !last.value()).orElse(false);
        return replicaAtFault
                ? samples.stream().filter(a -> a.ok() && a.value() && a.startMillis() >= fault).map(Probe.Attempt::startMillis).findFirst()
                : Optional.empty();
    }

    Figures figures() {
        return figures;
    }

    /**
     * Waits for the stack to be whole by itself, lets a few writes through, stops everything, judges
     * the row, records it and fails with every violation.
     */
    Judgement judge() throws Exception {
        long fault = faultAt();
        long repaired = repairedAt == null ? fault : repairedAt;
        long healedAt = CatalogueRun.awaitRecovery("whole", () -> lab.awaitWhole(row.healedWithin().plusSeconds(30)),
                timeline, figures, ledger);
        close();
        Linearizability.Judgement linearizability = history.stopAndJudge(figures);
        recordWritesStalled(fault);
        String leader = lab.leader().orElseThrow(() -> new AssertionError("no leader once the stack is whole"));
        Verdict.Evidence evidence = new Verdict.Evidence(ledger.writes(), ledger.reads(),
                new StoredProducts(lab, leader).of(ledger.writes()), roleSamples(), java.util.Set.of(), List.of(),
                fault, repaired, healedAt);
        Judgement judgement = Verdict.judge(row, evidence);
        recordPromotions(fault);
        recordLostWithTheHost(fault);
        CatalogueRun.recordJudgement(figures, row.fault(), judgement, false);
        CatalogueRun.failures(figures, ledger.writes(), ledger.reads(), fault);
        List<String> violations = new ArrayList<>(judgement.violations());
        CheckedHistory.violation(linearizability).ifPresent(violations::add);
        if (!violations.isEmpty()) {
            throw new AssertionError(row.fault() + ": " + String.join("; ", violations));
        }
        return judgement;
    }

    private void recordPromotions(long fault) throws Exception {
        recordLoggedStory("Patroni on the leader lock after the fault (s after it)", List.of("pg-1", "pg-2"),
                LEADER_LOCK_LINES, fault);
        recordLoggedStory("the API instances on their database pools after the fault (s after it)",
                List.of("api-1", "api-2"), DATABASE_POOL_LINES, fault);
        recordLoggedStory("the front on " + frontHost + " on its instances after the fault (s after it)",
                List.of("front"), FRONT_SERVER_LINES, fault);
        for (String pg : List.of("pg-1", "pg-2")) {
            Optional<Long> promoted = logged(pg, "promoted self to leader");
            if (promoted.isPresent()) {
                timeline.mark("promotion", promoted.get());
                figures.record(pg + " promoted after", (promoted.get() - fault) / 1000.0, "s");
            }
            Optional<Long> demoted = logged(pg, "emoting self");
            if (demoted.isPresent()) {
                timeline.mark("demotion", demoted.get());
                figures.record(pg + " demoted itself after", (demoted.get() - fault) / 1000.0, "s");
            }
        }
    }

    /**
     * What the services said since the fault, in order, as a table: the evidence when a row ends
     * otherwise than it expects. Patroni on the leader lock (stop 27's CI: the lost leader led again
     * after it rejoined, and nothing in the report said how); the API instances on their pools (CI
     * run 20: one read failed with a 503 after two 2 s borrows, and nothing said which pools).
     */
    private void recordLoggedStory(String title, List<String> services, String grepArguments, long fault) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        for (String service : services) {
            SwarmHost host = service.equals("front") ? frontHost : lab.hostOf(service);
            for (String line : lab.loggedLines(host, service, origin.plusMillis(fault), grepArguments)) {
                SwarmLab.loggedAt(line).ifPresent(at -> rows.add(List.of(
                        String.format(Locale.ROOT, "%.1f", (Duration.between(origin, at).toMillis() - fault) / 1000.0), service,
                        line.substring(line.indexOf(' ') + 1).strip())));
            }
        }
        rows.sort(Comparator.comparingDouble(row -> Double.parseDouble(row.get(0))));
        figures.table(title, List.of("at", "service", "line"), rows.subList(0, Math.min(rows.size(), 60)));
    }

    /**
     * The failures only the row's window allows (any failed read, a write that failed otherwise than
     * with a 503 and Retry-After), and when the last of them started: how close to its bound.
     */
    private void recordLostWithTheHost(long fault) {
        List<Probe.Attempt<?>> failed = new ArrayList<>();
        ledger.writes().stream().filter(a -> !a.ok() && !Verdict.isServiceUnavailable(a.error())
                && row.lostWithTheFault(a.startMillis(), fault)).forEach(failed::add);
        ledger.reads().stream().filter(a -> !a.ok() && row.lostWithTheFault(a.startMillis(), fault)).forEach(failed::add);
        row.lostWithTheFault().ifPresent(window -> figures.record("requests failed, started within " + window.toSeconds()
                + " s of the fault, allowed only as on what died with the host (failed reads, writes without a 503)",
                failed.size(), ""));
        failed.stream().mapToLong(Probe.Attempt::startMillis).max().ifPresent(last ->
                figures.record("last of them started after the fault", (last - fault) / 1000.0, "s"));
    }

    /**
     * The longest time after the fault in which no client had a write acknowledged: the load's writer
     * and the register workload's four. The row's "write unavailability" is the load's alone, and that
     * writer sends one request at a time: a POST it had in flight on the lost host holds it for the
     * front's 5 s while other clients' writes go through. This is the stall of the stack itself.
     */
    private void recordWritesStalled(long fault) {
        List<Probe.Attempt<?>> writes = new ArrayList<>(ledger.writes());
        for (History.Operation op : history.acknowledgedWrites()) {
            long start = fault + (op.callNanos() - faultOnHistoryClock) / 1_000_000;
            writes.add(new Probe.Attempt<>(start, (op.returnNanos() - op.callNanos()) / 1_000_000, true, null, null));
        }
        figures.record("writes stalled: longest time no client's write was acknowledged (the load's and the "
                + "register workload's 4 clients)", Verdict.longestWriteGap(writes, fault) / 1000.0, "s");
    }

    /** The role samples in the form the verdict reads commit probes (no commit: probe id 0). */
    private List<SyncCommitSampler.Sample> roleSamples() {
        List<SyncCommitSampler.Sample> samples = new ArrayList<>();
        roles.forEach((pg, probe) -> probe.attempts().forEach(a -> samples.add(new SyncCommitSampler.Sample(pg,
                a.startMillis(), a.endMillis(), a.ok() ? a.value() : null, 0, a.ok() ? null : a.error()))));
        return samples;
    }

    /** Stops the load and the samplers (also when a row failed before its verdict). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ledger.close();
            history.close();
            roles.values().forEach(Probe::close);
        }
    }
}
