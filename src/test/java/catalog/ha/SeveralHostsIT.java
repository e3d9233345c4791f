package catalog.ha;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.lab.LabImages;
import catalog.lab.LabStarts;
import catalog.lab.SwarmHost;
import catalog.lab.SwarmLab;
import catalog.report.Figures;
import catalog.report.OrderedScenarios;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docker-stack.yml on a Swarm of three hosts, and a whole host lost: every service on it dies at
 * once, or it is cut from the others. The same load, ledger, verdict and linearizability check as the
 * failure catalogue, through the front of a host the fault spares; the rows go into the same
 * catalogue table. Placement (SwarmLab): host 1 and host 2 each hold one database node, one etcd
 * member, one HAProxy, one API instance and a front; host 3 holds etcd-3, Redis and a front.
 * Bounds follow from Patroni's ttl of 20 s and wal_sender_timeout of 5 s (docker/patroni/patroni.yml).
 */
@Tag("hosts")
@DisplayName("Several hosts")
@OrderedScenarios
@ExtendWith(LabStarts.Resolver.class)
class SeveralHostsIT {
    private static final Duration TTL = Duration.ofSeconds(20);
    /**
     * Writes back after the leader's host is lost: the replica takes the lock when the lease expires
     * (ttl after the last renewal) and promotes within 1-3 s; the API holds a refused write up to 2 s
     * before its 503, so the first write acknowledged after the promotion may end 2-3 s later again.
     * Measured: 22.1-25.4 s in five runs; ttl + 5 s, the first aim, was missed once by 0.4 s.
     */
    private static final Duration LEADER_HOST_FAILOVER = TTL.plusSeconds(10);
    /**
     * Writes back after the replica's host is lost: within the synchronous standby's timeout
     * (wal_sender_timeout, 5 s), 1-2 s as a rule. A POST the lost host's API instance had in flight
     * gets its 503 at the front's timeout server (5 s) and the load's next write follows it; the
     * fault counts from the start of docker kill, and a POST sent before the host actually died is in
     * flight there (5.2 s, a POST sent 396 ms after the command began): 5 s, then the time the kill
     * takes (the command returns 0.5-1.6 s after it began; the host dies before that), within 2 s.
     * Measured on a settled stack, the first row: Patroni caches etcd's addresses for up to 200 s,
     * and an etcd member whose task was replaced in that time (its host restarted) leaves the
     * leader's client one live member fewer; losing another host with etcd's leader then makes the
     * leader demote itself and take the lock back (9.1-11.4 s; CI run 27 and a local run of
     * 2026-12-07 12:05 UTC, when this row came second: docs/several-hosts.md).
     */
    private static final Duration REPLICA_HOST_STALL = Duration.ofSeconds(5 + 1 + 1);
    private static final Duration HOST_DOWN = Duration.ofSeconds(30);
    private static final Duration CUT_LASTS = Duration.ofSeconds(40);
    /**
     * What dies with a lost host may fail requests that started within this of the fault: POSTs in
     * flight on its API instance (the front never sends a POST twice), reads on the pools'
     * connections through its HAProxy, which hang without a reset until the API's deadline. Measured
     * here: the last such failure started at most 2.2 s after a kill.
     */
    private static final Duration LOST_WITH_A_KILLED_HOST = Duration.ofSeconds(8);
    /**
     * A cut host is noticed only by timeouts (the front's checks, Swarm's heartbeats, the nodes'
     * leases): its services may fail requests until the partition is settled, within ttl. Measured
     * here: the last such failure started 0.1-5.2 s after the cut, once 12.0 s on a machine busy with other work.
     */
    private static final Duration LOST_WITH_A_CUT_HOST = TTL;
    /** A host started again rejoins the Swarm, gets its tasks back and its database node rewinds and streams. */
    private static final Duration REJOINED = Duration.ofSeconds(120);

    /** Closed after the class (every host, volume and network removed), whatever happened. */
    @AutoClose
    private SwarmLab lab;

    private double startSeconds;

    @BeforeAll
    void start(LabStarts starts) throws Exception {
        LabStarts.Begun begun = starts.started("hosts");
        lab = SwarmLab.start(LabImages.fromEnvironment());
        lab.awaitWhole(Duration.ofMinutes(4));
        startSeconds = begun.seconds();
    }

    /** Whatever a row left: every host running and connected, and the stack whole again, before the next. */
    @AfterEach
    void restoreHosts() throws Exception {
        for (SwarmHost host : lab.hosts()) {
            host.start();
            try {
                host.reconnectTo(lab.othersThan(host));
            } catch (IllegalStateException notCut) {
                // no rule to remove: the host was not cut
            }
        }
        lab.awaitWhole(REJOINED);
    }

    @Test
    @Order(1)
    @DisplayName("the host of the replica lost, etcd's leader with it: writes stall no longer than the synchronous "
            + "standby's timeout, no read fails")
    void replicaHostLost(Figures figures) throws Exception {
        figures.record("three hosts started, swarm formed, images loaded, stack deployed and whole", startSeconds, "s");
        // First, on the stack as deployed: no etcd task was replaced yet, so every Patroni knows every
        // member's address (see REPLICA_HOST_STALL for what a replaced one costs).
        String replica = SwarmLab.peerOf(lab.leader().orElseThrow());
        SwarmHost lost = lab.hostOf(replica);
        // The hardest form of the loss: the etcd member on that host leads etcd, so the survivors
        // elect another while the leader's Patroni must renew its key (CI run 27's 9.9 s: that
        // election, and a stale address of etcd-3, left Patroni's client no member to reach).
        String etcdOnTheHost = "etcd-" + replica.charAt(replica.length() - 1);
        lab.moveEtcdLeaderTo(etcdOnTheHost);
        HostLossRun run = startRow(row("the host of the replica lost (" + replica + ", " + etcdOnTheHost + " leading etcd)",
                REPLICA_HOST_STALL, LOST_WITH_A_KILLED_HOST), "redis", figures);
        run.endureHostLoss(lost, HOST_DOWN);
        run.judge();
    }

    @Test
    @Order(2)
    @DisplayName("the host of one front lost (with etcd-3 and Redis): clients of another front see no failure")
    void frontHostLost(Figures figures) throws Exception {
        SwarmHost lost = lab.hostOf("redis");
        HostLossRun run = startRow(row("the host of one front lost (etcd-3, Redis with it)", Duration.ofSeconds(5), Duration.ZERO),
                "pg-1", figures);
        run.endureHostLoss(lost, HOST_DOWN);
        Verdict.Judgement judgement = run.judge();
        assertThat(judgement.failedWrites()).as("writes failed through the other front").isZero();
    }

    @Test
    @Order(3)
    @DisplayName("the host of the Patroni leader lost: no read fails through a surviving front, writes are back within "
            + "ttl + 10 s, nothing acknowledged is lost, and the host rejoins by itself")
    void leaderHostLost(Figures figures) throws Exception {
        String leader = lab.leader().orElseThrow();
        SwarmHost lost = lab.hostOf(leader);
        HostLossRun run = startRow(row("the host of the Patroni leader lost (" + leader + ")",
                LEADER_HOST_FAILOVER, LOST_WITH_A_KILLED_HOST), "redis", figures);
        run.killHost(lost);
        run.awaitWritesBack(LEADER_HOST_FAILOVER.plusSeconds(20));
        run.startHost(lost);
        run.judge();
        assertThat(run.promotedAt(SwarmLab.peerOf(leader))).as("the other node, a replica when the host was lost, "
                + "sampled as a primary after it").isPresent();
        // Once in seven CI runs (stop 27) the lost node led again after it rejoined: not a promise of
        // the row, but a second change of leader would be a second stop of writes. Recorded, with
        // Patroni's lines on the lock in the row's table, until a run shows why.
        String leaderOnceWhole = lab.leader().orElse("none");
        figures.record("led by the node that was lost, once the stack was whole again",
                leaderOnceWhole.equals(leader) ? 1 : 0, "");
        if (!leaderOnceWhole.equals(SwarmLab.peerOf(leader))) {
            figures.note("Once the stack was whole again the leader was " + leaderOnceWhole + ", not "
                    + SwarmLab.peerOf(leader) + ": see \"Patroni on the leader lock after the fault\".");
        }
    }

    @Test
    @Order(4)
    @DisplayName("a host cut from the others 40 s (the leader's): never two primaries, nothing acknowledged lost, "
            + "the cut-off side stops taking writes before the other side promotes")
    void leaderHostCut(Figures figures) throws Exception {
        String leader = lab.leader().orElseThrow();
        SwarmHost cut = lab.hostOf(leader);
        List<SwarmHost> others = lab.othersThan(cut);
        HostLossRun run = startRow(row("a host cut from the others 40 s (the leader's, " + leader + ")",
                TTL.plusSeconds(15), LOST_WITH_A_CUT_HOST), "redis", figures);
        try (MinorityWrites minority = new MinorityWrites(lab, cut, run)) {
            run.inject("cut host " + cut, () -> cut.cutFrom(others));
            Thread.sleep(CUT_LASTS.toMillis());
            run.repair("reconnect host " + cut, () -> cut.reconnectTo(others));
            Verdict.Judgement judgement = run.judge();
            long promoted = run.logged(SwarmLab.peerOf(leader), "promoted self to leader")
                    .orElseThrow(() -> new AssertionError("the majority side never promoted"));
            long demoted = run.logged(leader, "emoting self")
                    .orElseThrow(() -> new AssertionError("the cut-off leader never demoted"));
            // While cut: acknowledged before the repair began (CI run 16: a write that started 41.4 s
            // after the cut, as its rules were being lifted, reached the new leader and was counted).
            long lastMinorityWrite = minority.lastStartAcknowledgedBefore(run.repairBeganAt());
            figures.record("cut-off side: writes acknowledged while cut",
                    minority.acknowledgedBetween(run.faultAt(), run.repairBeganAt()), "");
            figures.record("cut-off side: last acknowledged write started after the cut at",
                    Math.max(0, lastMinorityWrite - run.faultAt()) / 1000.0, "s");
            assertThat(judgement.twoPrimaryMillis()).as("ms with two primaries").isZero();
            assertThat(minority.lost(lab.leader().orElseThrow())).as("writes acknowledged on the cut-off side, lost").isEmpty();
            assertThat(lastMinorityWrite).as("start of the last write acknowledged on the cut-off side, before the "
                    + "promotion at %d ms", promoted).isLessThan(promoted);
            assertThat(demoted).as("ms at which the cut-off leader demoted, before the promotion at %d ms", promoted)
                    .isLessThan(promoted);
        }
    }

    /**
     * Starts the row's load through the front on the host of {@code spared}, a service on a host the
     * row's fault leaves alone: the scenario's first step, as in the failure catalogue.
     */
    private HostLossRun startRow(CatalogueRow row, String spared, Figures figures) throws Exception {
        return HostLossRun.start(lab, row, lab.hostOf(spared), figures);
    }

    private static CatalogueRow row(String fault, Duration writesBackWithin, Duration lostWithTheHost) {
        return CatalogueRow.of(fault, writesBackWithin, REJOINED).requestsMayFailFor(lostWithTheHost);
    }
}
