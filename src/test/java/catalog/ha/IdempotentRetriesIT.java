package catalog.ha;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.RunningApi;
import catalog.lab.Eventually;
import catalog.lab.HaCluster;
import catalog.lab.PatroniNode;
import catalog.lab.ProductsLab;
import catalog.lab.Role;
import catalog.lab.WithProductsLab;
import catalog.report.Figures;
import catalog.report.SpecReport;
import catalog.report.Timeline;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Retries made safe by Idempotency-Key, through a hard-kill failover of the Patroni lab: clients
 * with a short timeout create products, each with its own key, and retry every timeout, 503 and
 * 409 until acknowledged. Requests the client gave up on may still commit (FACTS: 85 and 178 did
 * in the outages measured); the key turns their retries into replays instead of duplicates.
 */
@Tag("failover")
@DisplayName("Idempotent retries through a failover")
@ExtendWith(SpecReport.class)
@ExtendWith(WithProductsLab.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotentRetriesIT {
    private static final int WRITERS = 4;
    private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(1500);
    private static final Duration PACE = Duration.ofMillis(100);

    private HaCluster lab;
    private RunningApi running;

    @BeforeAll
    void start(ProductsLab shared) {
        lab = shared.cluster();
        running = shared.startApi();   // in-process, through the HAProxies
    }

    @Test
    @DisplayName("a client retrying every timeout and 503 with its keys through a hard kill ends with exactly one row per key, none lost")
    void oneRowPerKeyThroughAHardKill(Figures figures) throws Exception {
        Timeline timeline = figures.timeline("keyed writes retried through a hard-kill failover");
        KeyedRetries client = new KeyedRetries(new ApiClient(running.api().baseUri(), CLIENT_TIMEOUT), timeline,
                Duration.ofSeconds(60));
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<KeyedRetries.Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger next = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int w = 0; w < WRITERS; w++) {
                done.add(writers.submit(() -> {
                    while (writing.get()) {
                        String key = run + "-" + next.incrementAndGet();
                        outcomes.add(client.create(key, ApiClient.product("keyed " + key, "1.00", 1)));
                        Thread.sleep(PACE.toMillis());
                    }
                    return null;
                }));
            }
            PatroniNode survivor = lab.replica();
            Eventually.until("100 acknowledged keys before the kill", Duration.ofSeconds(30), () -> outcomes.size() >= 100);
            timeline.mark("kill");
            lab.killLeader();
            lab.awaitRole(survivor, Role.PRIMARY, Duration.ofSeconds(40));
            timeline.mark("promotion");
            int atPromotion = outcomes.size();
            Eventually.until("100 more keys after the promotion", Duration.ofSeconds(60), () -> outcomes.size() >= atPromotion + 100);
        } finally {
            writing.set(false);
            writers.shutdown();
        }
        for (Future<?> writer : done) {
            writer.get();   // a contract violation or an unexpected status fails the scenario here
        }

        Map<String, Integer> rows = rowsPerKey(lab.leader(), run);
        List<KeyedRetries.Outcome> unacknowledged = outcomes.stream().filter(o -> !o.acknowledged()).toList();
        List<KeyedRetries.Outcome> disagreeing = outcomes.stream().filter(o -> o.acknowledgedIds().stream().distinct().count() > 1).toList();
        List<String> lost = outcomes.stream().filter(KeyedRetries.Outcome::acknowledged)
                .map(KeyedRetries.Outcome::key).filter(key -> !rows.containsKey(key)).toList();
        List<String> duplicated = rows.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList();
        long retried = outcomes.stream().filter(KeyedRetries.Outcome::retried).count();
        long replayed = outcomes.stream().filter(o -> o.replays() > 0).count();

        figures.record("keys", outcomes.size(), "");
        figures.record("attempts", outcomes.stream().mapToInt(KeyedRetries.Outcome::attempts).sum(), "");
        figures.record("keys retried", retried, "");
        figures.record("client timeouts", outcomes.stream().mapToInt(KeyedRetries.Outcome::timeouts).sum(), "");
        figures.record("503 answers", outcomes.stream().mapToInt(KeyedRetries.Outcome::unavailable).sum(), "");
        figures.record("409 answers (first request still running)", outcomes.stream().mapToInt(KeyedRetries.Outcome::inProgress).sum(), "");
        figures.record("keys answered by a replay (committed while the client had given up)", replayed, "");
        figures.record("keys never acknowledged", unacknowledged.size(), "");
        figures.record("keys with more than one row", duplicated.size(), "");
        figures.record("acknowledged keys lost", lost.size(), "");

        assertThat(retried).as("keys that needed a retry (else the scenario proved nothing)").isPositive();
        assertThat(unacknowledged).as("keys never acknowledged within 60 s of retries").isEmpty();
        assertThat(disagreeing).as("keys answered with two different ids").isEmpty();
        assertThat(rows.keySet()).as("keys with a row on the new leader").hasSize(outcomes.size());
        assertThat(duplicated).as("keys with more than one row").isEmpty();
        assertThat(lost).as("acknowledged keys without their row").isEmpty();
    }

    /** Rows per key of this run, read on the leader directly (not through HAProxy or the API). */
    private static Map<String, Integer> rowsPerKey(PatroniNode leader, String run) throws Exception {
        Map<String, Integer> rows = new HashMap<>();
        try (Connection c = leader.connectAsApi();
             PreparedStatement s = c.prepareStatement("select name, count(*) from products where name like ? group by name")) {
            s.setString(1, "keyed " + run + "-%");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1).substring("keyed ".length()), rs.getInt(2));
                }
            }
        }
        return rows;
    }
}
