package catalog.ha;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.lab.ContainerLog;
import catalog.lab.EtcdServer;
import catalog.lab.Faults;
import catalog.lab.HaproxyServer;
import catalog.lab.PatroniNode;
import catalog.lab.Probe;
import catalog.report.Figures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The failure catalogue's rows for the tiers that are more than one member (three etcd members,
 * two HAProxies) and for Redis: the same steady load, ledger and {@link Verdict} as
 * {@link FailureCatalogueIT}, the same "Failure catalogue" table in the report. Patroni runs with
 * failsafe_mode, so a DCS that cannot be reached at all is no write outage while the leader reaches
 * every member; what Patroni 4.0.7 does when etcd answers but has no quorum, or when a member is
 * lost too, is measured here, not assumed.
 */
@Tag("catalogue")
@DisplayName("Failure catalogue: no single point of failure")
class NoSinglePointOfFailureIT extends CatalogueScenarios {
    /** The API's breaker (CACHE_BREAKER_COOLDOWN_MS's default) and one probe of at most the Redis timeout, plus room. */
    private static final Duration CACHE_BACK = Duration.ofSeconds(5 + 2 + 2);


    @Test
    @Order(1)
    @DisplayName("one etcd member killed (the Raft leader), started again 20 s later: it costs nothing, not one failed write")
    void oneEtcdMemberKilled(Figures figures) throws Exception {
        CatalogueRun run = startRow("one etcd member killed (its Raft leader)", Duration.ofSeconds(5), figures);
        EtcdServer member = etcdLeader();
        run.endure(killed("kill " + member, List.of(member)), Duration.ofSeconds(20));
        assertThat(run.judge().failedWrites()).as("writes that failed with one etcd member of three lost").isZero();
    }

    @Test
    @Order(2)
    @DisplayName("every etcd member killed for 60 s: with failsafe_mode the leader keeps its role, writes go on")
    void everyEtcdMemberKilled(Figures figures) throws Exception {
        CatalogueRun run = startRow("all etcd members killed for 60 s (failsafe_mode)", Duration.ofSeconds(5), figures);
        PatroniNode leader = cluster.leader();
        run.endure(everyEtcdMemberKilled(), Duration.ofSeconds(60));
        whenTheLeaderRanInFailsafe(run, leader, figures);
        assertThat(run.judge().failedWrites()).as("writes that failed while no etcd member ran").isZero();
        assertLeads(leader, "the etcd outage");
    }

    @Test
    @Order(3)
    @DisplayName("two of three etcd members killed for 40 s: quorum lost while one member still answers; "
            + "Patroni 4.0.7 treats it as a DCS outage, failsafe keeps the leader, writes go on")
    void etcdQuorumLost(Figures figures) throws Exception {
        CatalogueRun run = startRow("two of three etcd members killed for 40 s (quorum lost, one answers)",
                Duration.ofSeconds(5), figures);
        PatroniNode leader = cluster.leader();
        run.endure(quorumLost(), Duration.ofSeconds(40));
        whyTheLeaderActed(run, leader, figures);
        assertThat(run.judge().failedWrites()).as("writes that failed while etcd had no quorum").isZero();
        assertLeads(leader, "etcd's quorum came back");
    }

    @Test
    @Order(4)
    @DisplayName("every etcd member killed, then the replica too: the leader cannot reach every member, failsafe ends, "
            + "writes stop until etcd is back")
    void etcdLostAndReplicaLost(Figures figures) throws Exception {
        CatalogueRow row = row("all etcd members killed for 40 s, the replica killed at +10 s",
                Duration.ofSeconds(65)).readsMayFailUntilRepairPlus(Duration.ofSeconds(30));
        // Once the replica is gone and the leader has demoted itself nothing serves reads, hence the
        // allowance. Writes come back only after etcd does (+40 s) and the leader takes its key again
        // (measured 48-50 s after the fault). They fail from the replica's death on, before the
        // demotion: synchronous_mode makes commits wait for the dead standby, and Patroni cannot
        // drop to asynchronous without writing that to etcd.
        CatalogueRun run = startRow(row, figures);
        PatroniNode leader = cluster.leader();
        PatroniNode replica = cluster.replica();
        run.inject("kill etcd", () -> cluster.etcd().forEach(faults::kill));
        run.hold(Duration.ofSeconds(10));
        run.inject("kill " + replica, () -> faults.kill(replica));
        run.hold(Duration.ofSeconds(30));
        run.repair("start etcd and " + replica, () -> {
            cluster.etcd().forEach(faults::start);
            faults.start(replica);
        });
        whyTheLeaderActed(run, leader, figures);
        run.judge();
    }

    @Test
    @Order(5)
    @DisplayName("one HAProxy of two killed, started again 20 s later: not one read fails, the API's pools move to the other")
    void oneHaproxyKilled(Figures figures) throws Exception {
        CatalogueRun run = startRow("one HAProxy of two killed", Duration.ofSeconds(5), figures);
        // The second: the host's own URLs go through the first (the API names both alike).
        HaproxyServer haproxy = cluster.haproxies().get(1);
        run.endure(killed("kill haproxy-2", List.of(haproxy)), Duration.ofSeconds(20));
        run.judge();
        long lastFailure = run.lastFailedWriteSinceFault();
        figures.record("last failed write after the kill", lastFailure / 1000.0, "s");
        // A pooled connection through the dead HAProxy fails the one request that holds it (a write is
        // never retried: it may have reached the database); idle ones are checked on borrow and evicted.
        assertThat(lastFailure).as("ms from the kill to the start of the last failed write").isLessThan(3_000);
    }

    @Test
    @Order(6)
    @DisplayName("Redis killed, started again 10 s later: cache hits are back within the breaker's cool-down plus one probe, "
            + "and no invalidation fails once they are")
    void redisKilled(Figures figures) throws Exception {
        ApiClient api = new ApiClient(lab.api().baseUri(), Duration.ofSeconds(10));
        long id = api.create("cached across a Redis restart", "9.90", 1);
        CatalogueRun run = startRow("Redis killed and restarted", Duration.ofSeconds(5), figures);
        Probe<String> hits = run.probe("cache hit", () -> {
            String cache = api.get("/products/" + id).header("X-Cache");
            if (!"HIT".equals(cache)) {
                throw new IllegalStateException("X-Cache " + cache);
            }
            return cache;
        });
        hits.awaitSuccesses(3, Duration.ofSeconds(10));
        String addressBefore = faults.address(lab.redis());
        run.inject("kill redis", () -> faults.kill(lab.redis()));
        run.hold(Duration.ofSeconds(10));
        Instant restarted = Instant.now();
        long repaired = run.now();
        run.repair("start redis", () -> faults.start(lab.redis()));
        long back = hits.awaitSuccessFrom(repaired, CACHE_BACK.plusSeconds(20));
        figures.note("Redis' address before the kill " + addressBefore + ", after the start " + faults.address(lab.redis())
                + " (the API looks a name up again after 2 s, DnsCache: a Redis back at another address is followed as fast).");
        figures.record("cache hits back after Redis started", (back - repaired) / 1000.0, "s");
        Thread.sleep(5_000);   // writes go on with hits: their invalidations must reach Redis
        long invalidationsFailedAfterHits = ContainerLog.since(lab.api(), restarted.plusMillis(back - repaired)).stream()
                .filter(line -> line.text().contains("cache invalidation of product")).count();
        figures.record("invalidation failures logged after hits were back", invalidationsFailedAfterHits, "");
        run.judge();
        assertThat(back - repaired).as("ms from Redis' start to the first cache hit").isLessThanOrEqualTo(CACHE_BACK.toMillis());
        assertThat(invalidationsFailedAfterHits).as("invalidations that failed after hits were back").isZero();
    }

    @Test
    @Order(7)
    @DisplayName("writes stall while reads go on: etcd quorum lost with failsafe_mode off, the leader demotes itself; "
            + "not one read fails and their p99 stays within 2x of before")
    void writesStallReadsGoOn(Figures figures) throws Exception {
        // Writes come back once etcd has its quorum again (30 s after the first refusal) and the
        // leader takes its key back: measured 40 s after the fault.
        CatalogueRow row = row("writes stall while reads go on (etcd quorum lost 30 s, failsafe_mode off)",
                Duration.ofSeconds(55));
        setFailsafe(false);
        try {
            CatalogueRun run = startRow(row, figures);
            PatroniNode leader = cluster.leader();
            Outage quorumLost = quorumLost();
            // Reads before the stall, on this row's clock: 15 s, after 5 s in which the load's first
            // requests (new connections, the contract's first checks) settle.
            long before = run.now() + 5_000;
            Thread.sleep(20_000);
            run.inject(quorumLost);
            long stalled = run.awaitWriteRefused();
            run.hold(Duration.ofSeconds(30));
            long repaired = run.now();
            run.repair(quorumLost);
            whyTheLeaderActed(run, leader, figures);
            long p99Before = run.readLatencyPercentile(0.99, before, run.faultAt());
            long p99Stalled = run.readLatencyPercentile(0.99, stalled, repaired);
            figures.record("first write refused after", run.sinceFault(stalled) / 1000.0, "s");
            figures.record("read p99 before the fault", p99Before, "ms");
            figures.record("read p99 while writes were refused", p99Stalled, "ms");
            run.judge();
            assertThat(p99Stalled).as("read p99 while writes stalled, vs %d ms before", p99Before)
                    .isLessThanOrEqualTo(2 * p99Before);
        } finally {
            cluster.heal();
            setFailsafe(true);
        }
    }

    /** Patroni's dynamic configuration, through the leader's REST API (needs etcd's quorum). */
    private void setFailsafe(boolean on) throws Exception {
        var response = cluster.leader().patchConfig("{\"failsafe_mode\":" + on + "}");
        assertThat(response.statusCode()).as("PATCH /config failsafe_mode=%s: %s", on, response.body()).isEqualTo(200);
    }

    /** Every etcd member killed at once and started again, marked "kill etcd" and "start etcd". */
    private Outage everyEtcdMemberKilled() {
        return new Outage("kill etcd", () -> cluster.etcd().forEach(faults::kill),
                "start etcd", () -> cluster.etcd().forEach(faults::start));
    }

    /** Two of the three etcd members killed (its Raft leader among them): one still answers, without quorum. */
    private Outage quorumLost() {
        List<EtcdServer> killed = List.of(etcdLeader(), etcdFollower());
        return killed("kill " + killed, killed);
    }

    /** When the leader said it runs on in failsafe mode (no DCS to renew its key in), in the report. */
    private static void whenTheLeaderRanInFailsafe(CatalogueRun run, PatroniNode leader, Figures figures) {
        run.logged(leader, "failsafe mode is enabled").ifPresent(at ->
                figures.record("leader ran on in failsafe mode from", run.sinceFault(at) / 1000.0, "s"));
    }

    /** The leader's own words for what it did while etcd had no quorum, in the report. */
    private static void whyTheLeaderActed(CatalogueRun run, PatroniNode leader, Figures figures) {
        whenTheLeaderRanInFailsafe(run, leader, figures);
        run.logged(leader, "demoting self").ifPresent(at ->
                figures.record("leader demoted itself after", run.sinceFault(at) / 1000.0, "s"));
        run.loggedLine(leader, "tcd").ifPresent(line -> figures.note("The leader's first line on etcd after the fault: " + line));
        run.loggedLine(leader, "DCS").ifPresent(line -> figures.note("The leader's first line on the DCS after the fault: " + line));
    }

    private EtcdServer etcdLeader() {
        return cluster.etcd().stream().filter(EtcdServer::isLeader).findFirst()
                .orElseThrow(() -> new IllegalStateException("no etcd member says it leads"));
    }

    private EtcdServer etcdFollower() {
        return cluster.etcd().stream().filter(m -> Faults.isRunning(m) && !m.isLeader()).findFirst().orElseThrow();
    }
}
