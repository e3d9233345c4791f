package catalog.ha;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ha.RequestLedger.Acknowledged;
import catalog.ha.SyncCommitSampler.Sample;
import catalog.ha.Verdict.Evidence;
import catalog.ha.Verdict.Judgement;
import catalog.ha.Verdict.Stored;
import catalog.lab.Probe.Attempt;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The catalogue's verdict on made-up evidence: each rule must catch what it is there to catch. */
class VerdictTest {
    private static final CatalogueRow ROW = CatalogueRow.of("leader killed", Duration.ofSeconds(35), Duration.ofSeconds(60));
    private static final String REFUSED = "catalog.ha.RequestLedger$Refused: 503 Retry-After=2 application/problem+json";
    private static final long FAULT = 10_000;
    private static final long REPAIRED = 40_000;
    private static final long HEALED = 50_000;

    private final List<Attempt<Acknowledged>> writes = new ArrayList<>();
    private final List<Attempt<String>> reads = new ArrayList<>();
    private final Map<Long, Stored> onLeader = new HashMap<>();
    private final List<Sample> commits = new ArrayList<>();
    private final Set<Long> probesOnLeader = new HashSet<>();
    private final List<RoutingSampler.Sample> routing = new ArrayList<>();

    /** A failover: writes every 100 ms, failing from the fault for 20 s, each stored as acknowledged. */
    private void failover() {
        long id = 0;
        for (long t = 0; t < 60_000; t += 100) {
            boolean down = t >= FAULT && t < FAULT + 20_000;
            if (down) {
                writes.add(new Attempt<>(t, 50, false, null, REFUSED));
            } else {
                Acknowledged a = new Acknowledged(++id, "row #" + id, BigDecimal.valueOf(100 + id, 2));
                writes.add(new Attempt<>(t, 5, true, a, null));
                onLeader.put(a.id(), new Stored(a.name(), a.price()));
            }
            reads.add(new Attempt<>(t, 3, true, "replica", null));
        }
    }

    private Judgement judge() {
        return Verdict.judge(ROW, new Evidence(writes, reads, onLeader, commits, probesOnLeader, routing, FAULT, REPAIRED, HEALED));
    }

    @Test
    @DisplayName("a clean failover passes, with its outage measured from the last write before the fault")
    void cleanFailover() {
        failover();
        Judgement j = judge();
        assertThat(j.violations()).isEmpty();
        assertThat(j.failedWrites()).isEqualTo(200);
        assertThat(j.writeUnavailableMillis()).isEqualTo(20_100);
        assertThat(j.firstWriteAfterMillis()).contains(20_005L);
        assertThat(j.healedAfterMillis()).isEqualTo(40_000);
    }

    @Test
    @DisplayName("an acknowledged write missing on the leader, or there with other content, is lost")
    void lostWrites() {
        failover();
        onLeader.remove(3L);
        onLeader.put(7L, new Stored("another product", onLeader.get(7L).price()));
        onLeader.put(9L, new Stored(onLeader.get(9L).name(), new BigDecimal("99.99")));
        assertThat(judge().lost()).containsExactly(3L, 7L, 9L);
        assertThat(judge().violations()).anyMatch(v -> v.startsWith("3 acknowledged writes lost"));
    }

    @Test
    @DisplayName("the same id acknowledged twice (handed out again after a rewind) is caught")
    void duplicateIds() {
        failover();
        Acknowledged again = new Acknowledged(5, "row #5", BigDecimal.valueOf(105, 2));
        writes.add(new Attempt<>(59_950, 5, true, again, null));
        assertThat(judge().duplicateIds()).containsExactly(5L);
    }

    @Test
    @DisplayName("two nodes acknowledging in the same half second is split brain; two primaries alone are only shown")
    void splitBrain() {
        failover();
        commits.add(new Sample("pg-1", 20_010, 20_020, true, 1, null));
        commits.add(new Sample("pg-2", 20_300, 20_400, true, 2, null));
        commits.add(new Sample("pg-1", 30_010, 30_020, true, 0, "timeout"));
        commits.add(new Sample("pg-2", 30_050, 30_060, true, 3, null));
        commits.add(new Sample("pg-1", 40_010, 40_020, true, 4, null));
        commits.add(new Sample("pg-2", 40_600, 40_610, true, 5, null));
        probesOnLeader.addAll(List.of(1L, 2L, 3L, 4L, 5L));
        Judgement j = judge();
        assertThat(j.splitBrainSlots()).isEqualTo(1);
        // pg-1 primary from 20 010 to the end of its last sample (40 020), pg-2 from 20 300 on
        assertThat(j.twoPrimaryMillis()).isEqualTo(40_020 - 20_300);
        assertThat(j.violations()).anyMatch(v -> v.contains("two nodes acknowledged"));
    }

    @Test
    @DisplayName("two primaries last from the moment both said so until one said otherwise, however seldom a hung node answers")
    void twoPrimaries() {
        commits.add(new Sample("pg-1", 0, 10, true, 1, null));
        commits.add(new Sample("pg-2", 0, 10, false, 0, null));
        commits.add(new Sample("pg-2", 500, 510, true, 2, null));
        commits.add(new Sample("pg-1", 1_000, 3_000, true, 0, "timeout"));
        commits.add(new Sample("pg-2", 1_000, 1_010, true, 3, null));
        commits.add(new Sample("pg-1", 3_000, 3_010, false, 0, null));
        commits.add(new Sample("pg-2", 3_500, 3_510, true, 4, null));
        assertThat(Verdict.twoPrimaryMillis(commits)).isEqualTo(2_500);
    }

    @Test
    @DisplayName("a probe commit a node acknowledged and the final leader does not have is caught")
    void lostProbeCommit() {
        failover();
        commits.add(new Sample("pg-1", 20_010, 20_020, true, 1, null));
        commits.add(new Sample("pg-2", 25_010, 25_020, true, 2, null));
        probesOnLeader.add(2L);
        assertThat(judge().lostProbeCommits()).isEqualTo(1);
        assertThat(judge().violations()).anyMatch(v -> v.contains("probe commits missing") && v.contains("pg-1#1"));
    }

    @Test
    @DisplayName("HAProxy counting two servers UP for writes is a violation")
    void doubleRouting() {
        failover();
        routing.add(new RoutingSampler.Sample("haproxy-1", 20_000, List.of("pg-1")));
        routing.add(new RoutingSampler.Sample("haproxy-1", 20_250, List.of("pg-1", "pg-2")));
        assertThat(judge().doubleRoutingSamples()).isEqualTo(1);
        assertThat(judge().violations()).anyMatch(v -> v.contains("routed writes to two nodes"));
    }

    @Test
    @DisplayName("a failed read is a violation, unless the row allows it until shortly after the repair")
    void failedReads() {
        failover();
        reads.add(new Attempt<>(REPAIRED + 1_000, 2_000, false, null, REFUSED));
        assertThat(judge().violations()).anyMatch(v -> v.startsWith("1 reads failed"));
        Judgement allowed = Verdict.judge(ROW.readsMayFailUntilRepairPlus(Duration.ofSeconds(5)),
                new Evidence(writes, reads, onLeader, commits, probesOnLeader, routing, FAULT, REPAIRED, HEALED));
        assertThat(allowed.violations()).isEmpty();
        assertThat(allowed.failedReads()).isEqualTo(1);
    }

    @Test
    @DisplayName("writes back too late, a refusal that is not a clean 503, or a cluster that heals too late fail the row")
    void boundsAndShapes() {
        failover();
        writes.add(new Attempt<>(FAULT + 100, 10_000, false, null, "java.net.http.HttpTimeoutException: request timed out"));
        CatalogueRow tight = CatalogueRow.of("tight", Duration.ofSeconds(10), Duration.ofSeconds(5));
        Judgement j = Verdict.judge(tight, new Evidence(writes, reads, onLeader, commits, probesOnLeader, routing, FAULT, REPAIRED, HEALED));
        assertThat(j.violations()).anyMatch(v -> v.startsWith("writes back after 20005 ms"))
                .anyMatch(v -> v.startsWith("refusals other than a 503"))
                .anyMatch(v -> v.startsWith("healed 10000 ms after the repair"));
    }

    @Test
    @DisplayName("a write that fails after the repair is the repair's: writes were back when the fault's writes came back")
    void failureAfterTheRepair() {
        failover();
        writes.add(new Attempt<>(REPAIRED + 5_000, 700, false, null, REFUSED));
        assertThat(judge().firstWriteAfterMillis()).contains(20_005L);
        List<Attempt<Acknowledged>> noOutage = writes.stream()
                .filter(a -> a.ok() || a.startMillis() > REPAIRED).toList();
        assertThat(Verdict.writesBackAfter(noOutage, FAULT, REPAIRED)).contains(FAULT + 20_005);
        assertThat(Verdict.writesBackAfter(noOutage, FAULT, FAULT)).as("a row with no repair counts every failure")
                .contains(REPAIRED + 5_005);
    }

    @Test
    @DisplayName("a ledger with no write acknowledged after healing proves nothing and fails")
    void idleLedger() {
        reads.add(new Attempt<>(0, 3, true, "replica", null));
        assertThat(judge().violations()).anyMatch(v -> v.contains("the load did not run"))
                .anyMatch(v -> v.startsWith("writes back after never"));
    }
}
