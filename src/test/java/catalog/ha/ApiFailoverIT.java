package catalog.ha;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.RunningApi;
import catalog.lab.HaCluster;
import catalog.lab.LabImages;
import catalog.lab.PatroniNode;
import catalog.lab.Probe;
import catalog.lab.RedisServer;
import catalog.lab.Role;
import catalog.report.Figures;
import catalog.report.SpecReport;
import catalog.report.Timeline;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API in-process in front of the lab: writes through HAProxy's write port, reads through its
 * read port, Redis beside. One cluster and one API for the class; the API is never restarted, so
 * every scenario also shows that it recovers by itself. Each scenario leaves the cluster healed.
 */
@DisplayName("The API during a failover")
@ExtendWith(SpecReport.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiFailoverIT {
    private static final Duration PACE = Duration.ofMillis(100);
    private static final long TTL_PLUS_5_MILLIS = 15_000;
    /** "Fail fast": a refused write answers within about the pool's 2 s borrow timeout. */
    private static final long FAST_FAILURE_MILLIS = 2_500;

    private HaCluster lab;
    private RedisServer redis;
    private RunningApi running;
    private ApiCalls api;

    @BeforeAll
    void start() {
        LabImages images = LabImages.fromEnvironment();
        lab = new HaCluster(images).start();
        redis = new RedisServer(images);
        redis.start();
        running = RunningApi.start(Map.of(
                "DB_WRITE_URL", "jdbc:postgresql://" + lab.haproxyAddress(HaCluster.WRITE_PORT) + "/products",
                "DB_READ_URL", "jdbc:postgresql://" + lab.haproxyAddress(HaCluster.READ_PORT) + "/products",
                "DB_USER", lab.apiUser(),
                "DB_PASSWORD", lab.apiPassword(),
                "REDIS_URL", redis.getRedisUrl()));
        api = new ApiCalls(running.client());
    }

    @AfterEach
    void heal() {
        lab.heal();
    }

    @AfterAll
    void stop() {
        if (running != null) {
            running.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @DisplayName("through the API, writes land on the leader and reads are served by the replica")
    void writesLandOnTheLeaderAndReadsOnTheReplica(Figures figures) throws Exception {
        long id = api.write();
        try (var leader = lab.leader().connectAsApi();
             var found = leader.createStatement().executeQuery("select count(*) from products where id = " + id)) {
            found.next();
            assertThat(found.getInt(1)).as("the new row on the leader").isEqualTo(1);
        }
        // After an earlier scenario's failover some pooled read connections may still sit on the
        // leader; the API retires one a second, so all reads reach the replica soon after.
        int reads = 20;
        Awaits.until(reads + " consecutive reads served by the replica", Duration.ofSeconds(20),
                () -> IntStream.range(0, reads).mapToObj(i -> api.read()).allMatch("replica"::equals));
        figures.record("consecutive API reads served by the replica", reads, "");
    }

    @Test
    @DisplayName("the replica is promoted after the primary is killed: reads go on, writes fail fast, then resume")
    void hardKillFailover(Figures figures) throws Exception {
        PatroniNode replica = lab.replica();
        Timeline timeline = figures.timeline("hard-kill failover");
        try (Probe<Long> writes = Probe.every(PACE, "write", timeline, api::write);
             Probe<String> reads = Probe.every(PACE, "read", timeline, api::read)) {
            writes.awaitSuccesses(5, Duration.ofSeconds(10));
            long killedAt = writes.now();
            timeline.mark("kill");
            PatroniNode old = lab.killLeader();
            lab.awaitRole(replica, Role.PRIMARY, Duration.ofSeconds(30));
            long promotedAt = writes.now();
            timeline.mark("promotion");
            long writesBackAt = writes.awaitSuccessFrom(promotedAt, Duration.ofSeconds(20));
            long rejoinFrom = writes.now();
            lab.start(old);
            lab.awaitRole(old, Role.REPLICA, Duration.ofSeconds(30));
            timeline.mark("rejoin");
            Awaits.until("API reads served by the rejoined replica", Duration.ofSeconds(15),
                    () -> "replica".equals(api.read()));
            long end = writes.now();

            figures.record("time to promotion", (promotedAt - killedAt) / 1000.0, "s");
            figures.record("time to first write", (writesBackAt - killedAt) / 1000.0, "s");
            figures.record("failed writes", writes.failuresBetween(killedAt, rejoinFrom), "");
            figures.record("max write latency", writes.maxLatencyBetween(killedAt, rejoinFrom), "ms");
            figures.record("failed reads", reads.failuresBetween(killedAt, rejoinFrom), "");
            figures.record("max read latency", reads.maxLatencyBetween(killedAt, rejoinFrom), "ms");
            figures.record("API reads on the rejoined replica after the kill", (end - killedAt) / 1000.0, "s");
            figures.record("during the rejoin: failed writes", writes.failuresBetween(rejoinFrom, end), "");
            figures.record("during the rejoin: failed reads", reads.failuresBetween(rejoinFrom, end), "");
            figures.record("during the rejoin: max write latency", writes.maxLatencyBetween(rejoinFrom, end), "ms");
            recordFailures(figures, killedAt, writes, reads);
            figures.note("Synchronous standby changes on the new leader: " + String.join("; ", replica.getLogs().lines()
                    .filter(l -> l.contains("ynchronous")).map(l -> l.length() > 160 ? l.substring(0, 160) : l).toList()));
            assertThat(writesBackAt - killedAt).as("ms to the first write").isLessThanOrEqualTo(TTL_PLUS_5_MILLIS);
            assertThat(writes.maxLatencyBetween(killedAt, rejoinFrom)).as("ms of the slowest write")
                    .isLessThanOrEqualTo(FAST_FAILURE_MILLIS);
            assertThat(reads.failuresBetween(killedAt, rejoinFrom)).as("failed reads").isZero();
            // Every refusal, also while the old leader rejoins, is a clean 503 that says when to retry,
            // and nothing hangs beyond the pool's 5 s socket timeout.
            assertThat(failureReasons(writes, killedAt)).allMatch(ApiFailoverIT::isServiceUnavailable);
            assertThat(failureReasons(reads, killedAt)).allMatch(ApiFailoverIT::isServiceUnavailable);
            assertThat(writes.maxLatencyFrom(killedAt)).as("ms of the slowest write, rejoin included").isLessThanOrEqualTo(6_000);
        }
    }

    @Test
    @DisplayName("no acknowledged write is lost when the primary is killed under a continuous writer")
    void noAcknowledgedWriteIsLost(Figures figures) throws Exception {
        PatroniNode replica = lab.replica();
        try (Probe<Long> writes = Probe.every(Duration.ofMillis(20), "write", api::write)) {
            // The writes most at risk are those acknowledged just before the kill: keep many in flight.
            writes.awaitSuccesses(100, Duration.ofSeconds(30));
            long killedAt = writes.now();
            lab.killLeader();
            lab.awaitRole(replica, Role.PRIMARY, Duration.ofSeconds(30));
            writes.awaitSuccessFrom(writes.now(), Duration.ofSeconds(20));
            long resumed = writes.attempts().stream().filter(Probe.Attempt::ok).count();
            writes.awaitSuccesses((int) resumed + 50, Duration.ofSeconds(30));
            writes.close();

            Set<Long> acknowledged = writes.attempts().stream().filter(Probe.Attempt::ok)
                    .map(Probe.Attempt::value).collect(Collectors.toSet());
            Set<Long> onTheLeader = productsOn(replica, acknowledged);
            Set<Long> lost = acknowledged.stream().filter(id -> !onTheLeader.contains(id) || !api.exists(id))
                    .collect(Collectors.toSet());
            figures.record("acknowledged writes", acknowledged.size(), "");
            figures.record("failed writes", writes.failuresFrom(killedAt), "");
            figures.record("lost writes", lost.size(), "");
            assertThat(lost).as("acknowledged ids missing on the new leader or through the API").isEmpty();
        }
    }

    private static Set<Long> productsOn(PatroniNode node, Set<Long> ids) throws SQLException {
        try (Connection c = node.connectAsApi();
             PreparedStatement s = c.prepareStatement("select id from products where id = any(?)")) {
            s.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            Set<Long> found = new HashSet<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getLong(1));
                }
            }
            return found;
        }
    }

    @Test
    @DisplayName("when the replica dies, API writes go on and reads fall back to the leader")
    void whenTheReplicaDiesTheApiGoesOn(Figures figures) throws Exception {
        Timeline timeline = figures.timeline("replica death");
        try (Probe<Long> writes = Probe.every(PACE, "write", timeline, api::write);
             Probe<String> reads = Probe.every(PACE, "read", timeline, api::read)) {
            writes.awaitSuccesses(5, Duration.ofSeconds(10));
            long killedAt = writes.now();
            timeline.mark("kill");
            lab.killReplica();
            Awaits.until("API reads served by the leader", Duration.ofSeconds(20), () -> "primary".equals(api.read()));
            long onLeaderAt = writes.now();
            writes.awaitSuccessFrom(onLeaderAt, Duration.ofSeconds(10));

            figures.record("API reads on the leader after", (onLeaderAt - killedAt) / 1000.0, "s");
            figures.record("failed writes", writes.failuresFrom(killedAt), "");
            figures.record("failed reads", reads.failuresFrom(killedAt), "");
            figures.record("longest time without a write", writes.longestGapFrom(killedAt), "ms");
            figures.record("max read latency", reads.maxLatencyFrom(killedAt), "ms");
            recordFailures(figures, killedAt, writes, reads);
            assertThat(writes.failuresFrom(killedAt)).as("failed writes").isZero();
            assertThat(reads.failuresFrom(killedAt)).as("failed reads").isZero();
        }
    }

    /** Every failed attempt of the probes from {@code fromMillis}, as a table in the report. */
    private static void recordFailures(Figures figures, long fromMillis, Probe<?>... probes) {
        List<List<String>> rows = Arrays.stream(probes)
                .flatMap(p -> p.attemptsFrom(fromMillis).stream().filter(a -> !a.ok())
                        .map(a -> List.of(p.lane(), String.valueOf(a.startMillis() - fromMillis),
                                String.valueOf(a.durationMillis()), a.error())))
                .sorted(Comparator.comparingLong(row -> Long.parseLong(row.get(1))))
                .toList();
        if (!rows.isEmpty()) {
            figures.table("failed requests (ms after the kill)", List.of("request", "at", "took", "answer"), rows);
        }
    }

    private static boolean isServiceUnavailable(String reason) {
        return reason.startsWith("503 Retry-After=") && !reason.contains("Retry-After=null")
                && reason.contains("application/problem+json");
    }

    private static List<String> failureReasons(Probe<?> probe, long fromMillis) {
        return probe.attemptsFrom(fromMillis).stream().filter(a -> !a.ok()).map(Probe.Attempt::error)
                .map(e -> e.substring(e.indexOf(':') + 1).trim()).toList();
    }
}
