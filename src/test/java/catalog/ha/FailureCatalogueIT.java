package catalog.ha;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.lab.ConnectionStorm;
import catalog.lab.ContainerLog;
import catalog.lab.ContainerProcesses;
import catalog.lab.HaCluster;
import catalog.lab.HaproxyServer;
import catalog.lab.PatroniNode;
import catalog.report.Figures;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The failure catalogue: one scenario per fault, each under the same steady load through the API
 * (a POST and a database read every 100 ms, every attempt in one ledger), each ending with the
 * cluster healed by itself, each judged by the same {@link Verdict}. Bounds follow from Patroni's
 * ttl of 20 s (the minimum of Patroni 4): a leader that stops renewing its key is replaced about
 * ttl later. The report's "Failure catalogue" table has a row per scenario with this run's figures.
 */
@Tag("catalogue")
@DisplayName("Failure catalogue")
class FailureCatalogueIT extends CatalogueScenarios {
    private static final Duration TTL = Duration.ofSeconds(20);
    private static final Duration FAILOVER = TTL.plusSeconds(15);
    private static final Duration FAULT_LASTS = Duration.ofSeconds(40);


    @Test
    @Order(1)
    @DisplayName("leader killed: the replica is promoted within ttl + 15 s, the old leader rejoins as its replica")
    void leaderKilled(Figures figures) throws Exception {
        CatalogueRun run = startRow("leader killed", FAILOVER, figures);
        Outage leaderKilled = killed(cluster.leader());
        run.inject(leaderKilled);
        run.awaitWritesBack();
        run.repair(leaderKilled);
        run.judge();
    }

    @Test
    @Order(2)
    @DisplayName("leader frozen 40 s, then resumed: the replica takes over, the old leader demotes on waking, nothing acknowledged is lost")
    void leaderFrozen(Figures figures) throws Exception {
        CatalogueRun run = startRow("leader frozen 40 s, then resumed", FAILOVER, figures);
        run.endure(frozen(cluster.leader()), FAULT_LASTS);
        run.judge();
    }

    @Test
    @Order(3)
    @DisplayName("Patroni frozen 40 s on the leader, its PostgreSQL running on: the node's watchdog fences that primary "
            + "within 10 s, before any promotion, and a fresh Patroni takes the lead back")
    void patroniFrozen(Figures figures) throws Exception {
        CatalogueRun run = startRow("Patroni frozen 40 s on the leader (PostgreSQL runs on)", FAILOVER, figures);
        PatroniNode leader = cluster.leader();
        run.endure(new Outage("freeze patroni", () -> faults.freeze(leader, PatroniNode.PATRONI), "thaw", () -> faults.thaw(leader)),
                FAULT_LASTS);
        long fenced = run.logged(leader, "fencing it").orElseThrow(() -> new AssertionError("the watchdog never fenced the primary"));
        run.figures().record("watchdog fenced the primary after", run.sinceFault(fenced) / 1000.0, "s");
        Verdict.Judgement judgement = run.judge();
        assertThat(judgement.twoPrimaryMillis()).as("ms with two primaries").isZero();
    }

    @Test
    @Order(4)
    @DisplayName("leader cut from the network 40 s, then reconnected: it demotes itself before the replica is promoted")
    void leaderCut(Figures figures) throws Exception {
        CatalogueRun run = startRow("leader cut from the network 40 s", FAILOVER, figures);
        PatroniNode leader = cluster.leader();
        PatroniNode replica = cluster.replica();
        run.endure(cut(leader), FAULT_LASTS);
        long demoted = run.logged(leader, "demoted self").orElseThrow(() -> new AssertionError("the cut-off leader never demoted"));
        long promoted = run.logged(replica, "promoted self to leader").orElseThrow(() -> new AssertionError("no promotion"));
        run.judge();
        assertThat(demoted).as("ms at which the cut-off leader demoted, before the replica's promotion at %d", promoted)
                .isLessThan(promoted);
    }

    @Test
    @Order(5)
    @DisplayName("Patroni crashed on the leader (kill -9): the image starts it again, it adopts the running PostgreSQL and keeps the lead")
    void patroniCrashed(Figures figures) throws Exception {
        CatalogueRun run = startRow("Patroni crashed on the leader (kill -9)", Duration.ofSeconds(10), figures);
        crashOnTheLeader(run, "patroni", PatroniNode.PATRONI, "Patroni's crash");
    }

    @Test
    @Order(6)
    @DisplayName("postmaster crashed on the leader (kill -9): Patroni restarts it in place, no failover")
    void postmasterCrashed(Figures figures) throws Exception {
        CatalogueRun run = startRow("postmaster crashed on the leader (kill -9)", Duration.ofSeconds(10), figures);
        crashOnTheLeader(run, "postmaster", PatroniNode.POSTMASTER, "its postmaster's crash");
    }

    @Test
    @Order(7)
    @DisplayName("replica killed, started again 20 s later: writes go on (asynchronous meanwhile), reads fall back to the leader")
    void replicaKilled(Figures figures) throws Exception {
        CatalogueRun run = startRow("replica killed", Duration.ofSeconds(10), figures);
        run.endure(killed(cluster.replica()), Duration.ofSeconds(20));
        run.judge();
    }

    @Test
    @Order(8)
    @DisplayName("replica frozen 40 s, then resumed: the leader stops waiting for it within seconds, writes go on")
    void replicaFrozen(Figures figures) throws Exception {
        CatalogueRun run = startRow("replica frozen 40 s, then resumed", Duration.ofSeconds(15), figures);
        run.endure(frozen(cluster.replica()), FAULT_LASTS);
        run.judge();
    }

    @Test
    @Order(9)
    @DisplayName("switchover through Patroni's REST API: writes move to the other node within seconds")
    void switchover(Figures figures) throws Exception {
        CatalogueRun run = startRow("switchover", Duration.ofSeconds(10), figures);
        PatroniNode candidate = cluster.replica();
        run.inject("switchover", cluster::switchover);
        run.judge();
        assertLeads(candidate, "the switchover");
    }

    @Test
    @Order(10)
    @DisplayName("HAProxy restarted: no write reaches a node before its first check passes")
    void haproxyRestarted(Figures figures) throws Exception {
        CatalogueRun run = startRow(row("HAProxy restarted", Duration.ofSeconds(15))
                .readsMayFailUntilRepairPlus(Duration.ofSeconds(5)), figures);
        HaproxyServer haproxy = cluster.haproxy();
        PatroniNode replica = cluster.replica();
        Instant restarted = Instant.now();
        run.inject("restart", () -> faults.restart(haproxy));
        run.repair("started", () -> { });
        // Connections arrive all through the first seconds, as a pool's reconnects do.
        int answered = ConnectionStorm.run(() -> new InetSocketAddress(haproxy.getHost(), haproxy.currentPort(HaCluster.WRITE_PORT)),
                Duration.ofSeconds(5));
        run.judge();

        Map<String, Long> routed = ContainerLog.since(haproxy, restarted).stream().map(ContainerLog.Line::text)
                .filter(line -> line.matches(".*\\] write \\S+/\\S+ .*"))
                .map(line -> line.replaceFirst(".*\\] write (\\S+/\\S+) .*", "$1"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        figures.record("write-port connections answered during the 5 s after the restart", answered, "");
        figures.note("Write-port connections after the restart, by where HAProxy sent them: " + routed);
        assertThat(routed.keySet()).as("where write connections went after the restart").doesNotContain("primary/" + replica.name());
        assertThat(routed.getOrDefault("primary/" + cluster.leader().name(), 0L)).as("write connections to the leader").isPositive();
    }

    @Test
    @Order(0)
    @DisplayName("steady state: writes land on the leader and the API's database reads are served by the replica")
    void steadyState(Figures figures) throws Exception {
        RequestLedger ledger = new RequestLedger("steady state", lab.api()::baseUri, figures.timeline("steady state"));
        try {
            ledger.awaitBaseline(Duration.ofSeconds(30));
            ledger.awaitWritesFrom(0, 20, Duration.ofSeconds(30));
        } finally {
            ledger.close();
        }
        List<String> servedBy = ledger.reads().stream().filter(a -> a.ok()).map(a -> a.value()).distinct().toList();
        figures.record("acknowledged writes", ledger.writes().stream().filter(a -> a.ok()).count(), "");
        assertThat(servedBy).as("X-Served-By of the API's reads").containsExactly("replica");
        assertThat(ledger.writes()).as("failed writes").allMatch(a -> a.ok());
    }

    /**
     * One process of the leader's container killed with kill -9, the rest untouched: whatever restarts
     * it must do so in place, so the row is judged and the same node must still lead.
     */
    private void crashOnTheLeader(CatalogueRun run, String process, Predicate<ContainerProcesses.Process> which,
            String after) throws Exception {
        PatroniNode leader = cluster.leader();
        run.inject("kill -9 " + process, () -> faults.crash(leader, which));
        run.judge();
        assertLeads(leader, after);
    }
}
