package catalog.ha;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.lab.HaCluster;
import catalog.lab.LabImages;
import catalog.lab.PatroniNode;
import catalog.lab.Probe;
import catalog.lab.Role;
import catalog.report.Figures;
import catalog.report.SpecReport;
import catalog.report.Timeline;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Failures of the database tier as clients of HAProxy see them, each client attempt on a new
 * connection (connect timeout 2 s). One cluster for the class: each scenario leaves it healed.
 * Bounds come from Patroni's ttl of 10 s (measured here: promotion 10-12 s after a hard kill).
 */
@DisplayName("Failover, seen through HAProxy")
@ExtendWith(SpecReport.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseFailoverIT {
    private static final Duration PACE = Duration.ofMillis(100);
    private static final Duration TTL_PLUS_5 = Duration.ofSeconds(15);

    @AutoClose
    private HaCluster lab;
    private WriteLedger ledger;

    @BeforeAll
    void startLab() throws SQLException {
        lab = new HaCluster(LabImages.fromEnvironment()).start();
        ledger = new WriteLedger(lab);
    }

    @AfterEach
    void heal() {
        lab.heal();
    }

    @Test
    @DisplayName("the replica is promoted after the primary is killed; writes are back within ttl + 5 s")
    void replicaIsPromotedAfterThePrimaryIsKilled(Figures figures) throws Exception {
        PatroniNode replica = lab.replica();
        Timeline timeline = figures.timeline("hard-kill failover, database level");
        try (Probe<Long> writes = Probe.every(PACE, "write", timeline, ledger::write);
             Probe<Boolean> reads = Probe.every(PACE, "read", timeline, () -> ledger.read(lab.readUrl()))) {
            writes.awaitSuccesses(5, Duration.ofSeconds(10));
            long killedAt = writes.now();
            timeline.mark("kill");
            PatroniNode old = lab.killLeader();
            lab.awaitRole(replica, Role.PRIMARY, Duration.ofSeconds(30));
            long promotedAt = writes.now();
            timeline.mark("promotion");
            long writesBackAt = writes.awaitSuccessFrom(promotedAt, Duration.ofSeconds(10));
            lab.start(old);
            lab.awaitRole(old, Role.REPLICA, Duration.ofSeconds(30));
            timeline.mark("rejoin");

            figures.record("time to promotion", (promotedAt - killedAt) / 1000.0, "s");
            figures.record("time to first write", (writesBackAt - killedAt) / 1000.0, "s");
            figures.record("failed writes", writes.failuresFrom(killedAt), "");
            figures.record("max write latency", writes.maxLatencyFrom(killedAt), "ms");
            figures.record("failed reads", reads.failuresFrom(killedAt), "");
            figures.record("reads", reads.attemptsFrom(killedAt).size(), "");
            assertThat(lab.isInRecovery(replica)).as("new leader in recovery").isFalse();
            assertThat(writesBackAt - killedAt).as("ms to the first write").isLessThanOrEqualTo(TTL_PLUS_5.toMillis());
            assertThat(writes.maxLatencyFrom(killedAt)).as("ms of the slowest write").isLessThanOrEqualTo(3_000);
        }
    }

    @Test
    @DisplayName("the old primary comes back as a streaming replica within 30 s and serves reads")
    void theOldPrimaryComesBackAsAReplica(Figures figures) throws Exception {
        PatroniNode next = lab.replica();
        PatroniNode old = lab.killLeader();
        lab.awaitRole(next, Role.PRIMARY, Duration.ofSeconds(30));
        long writtenMeanwhile = ledger.writeWithin(Duration.ofSeconds(10));

        long startedAt = System.nanoTime();
        lab.start(old);
        lab.awaitRole(old, Role.REPLICA, Duration.ofSeconds(30));
        figures.record("rejoin time (start to streaming)", (System.nanoTime() - startedAt) / 1e9, "s");
        Awaits.until("reads through HAProxy reach the rejoined replica", Duration.ofSeconds(10),
                () -> lab.reachesRecovery(lab.readUrl()));
        figures.record("rejoin time (start to serving reads)", (System.nanoTime() - startedAt) / 1e9, "s");

        assertThat(lab.isInRecovery(old)).as("old primary in recovery").isTrue();
        Awaits.until("the write made during its absence on the old primary", Duration.ofSeconds(5),
                () -> ledger.visibleOn(old, writtenMeanwhile));
        figures.note("pg_rewind ran on the old primary: " + old.getLogs().contains("running pg_rewind"));
    }

    @Test
    @DisplayName("a planned switchover through Patroni's REST API interrupts writes for at most 5 s")
    void aPlannedSwitchoverInterruptsWritesBriefly(Figures figures) throws Exception {
        PatroniNode candidate = lab.replica();
        try (Probe<Long> writes = Probe.every(Duration.ofMillis(50), "write", ledger::write)) {
            writes.awaitSuccesses(5, Duration.ofSeconds(10));
            long requestedAt = writes.now();
            PatroniNode leader = lab.switchover();
            long switchedAt = writes.now();
            writes.awaitSuccessFrom(switchedAt, Duration.ofSeconds(10));

            assertThat(leader.name()).isEqualTo(candidate.name());
            assertThat(lab.isInRecovery(candidate)).isFalse();
            figures.record("switchover (REST call)", (switchedAt - requestedAt) / 1000.0, "s");
            figures.record("write unavailability", writes.longestGapFrom(requestedAt) / 1000.0, "s");
            figures.record("failed writes", writes.failuresFrom(requestedAt), "");
            assertThat(writes.longestGapFrom(requestedAt)).as("ms without a write").isLessThanOrEqualTo(5_000);
        }
    }

    @Test
    @DisplayName("when the replica dies, writes continue (async) and reads fall back to the leader")
    void whenTheReplicaDiesWritesContinue(Figures figures) throws Exception {
        try (Probe<Long> writes = Probe.every(PACE, "write", ledger::write);
             Probe<Boolean> reads = Probe.every(PACE, "read", () -> ledger.read(lab.readUrl()))) {
            writes.awaitSuccesses(5, Duration.ofSeconds(10));
            long writesKilledAt = writes.now();
            long readsKilledAt = reads.now();
            lab.killReplica();
            Awaits.until("reads served by the leader", Duration.ofSeconds(20), () -> !lab.reachesRecovery(lab.readUrl()));
            long fallbackAt = reads.now();
            writes.awaitSuccessFrom(writes.now(), Duration.ofSeconds(20));

            figures.record("failed writes", writes.failuresFrom(writesKilledAt), "");
            figures.record("longest time without a write", writes.longestGapFrom(writesKilledAt), "ms");
            figures.record("reads on the leader after", (fallbackAt - readsKilledAt) / 1000.0, "s");
            figures.record("failed reads", reads.failuresFrom(readsKilledAt), "");
            assertThat(writes.failuresFrom(writesKilledAt)).as("failed writes").isZero();
            assertThat(writes.longestGapFrom(writesKilledAt)).as("ms without a write").isLessThanOrEqualTo(5_000);
        }
    }
}
