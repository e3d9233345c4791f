package catalog.ha;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ha.RequestLedger.Acknowledged;
import catalog.lab.ApiContainer;
import catalog.lab.ApiTier;
import catalog.lab.Probe;
import catalog.report.Figures;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The API tier's rows of the failure catalogue: two instances behind the HTTP front (front.cfg), the
 * catalogue's load sent to the front, the same ledger and {@link Verdict}, rows in the same
 * "Failure catalogue" table. The front must hide the loss of an instance from every read, and may
 * fail only the POSTs that the dead instance had when it died, never send one twice.
 */
@Tag("catalogue")
@DisplayName("Failure catalogue: the API tier behind the HTTP front")
class ApiTierCatalogueIT extends CatalogueScenarios {
    private static final Duration INSTANCE_DOWN = Duration.ofSeconds(15);
    /** Longer than a docker kill takes to end a container; the test asserts the failed POSTs began before it ended. */
    private static final Duration KILL_UNDER_WAY = Duration.ofSeconds(1);

    private ApiTier tier;

    /** Runs after the shared lab is given: from here on, {@code lab} is seen through the front. */
    @BeforeAll
    void startTheFrontTier() {
        lab = lab.behindFront();   // closed after this class; the shared lab stays
        tier = lab.apiTier();
    }

    @BeforeEach
    void wholeTier() {
        tier.awaitWhole(HEALED);   // the shared lab is healed by its extension; this tier is the class's own
    }

    @Test
    @Order(1)
    @DisplayName("one API instance killed under load, started again 15 s later: no read fails, only the POSTs it had "
            + "in flight may, nothing acknowledged is lost")
    void instanceKilled(Figures figures) throws Exception {
        // A POST sent while the kill was under way may die with api-1 (CI run 24: one at +30 ms); the
        // assertions below hold each such failure to having begun before api-1 was dead.
        CatalogueRun run = startRow(row("one API instance killed under load (through the front)", Duration.ofSeconds(5))
                .writesMayFailFor(KILL_UNDER_WAY), figures);
        ApiContainer victim = tier.instance("api-1");
        run.inject("kill api-1", () -> faults.kill(victim));
        long dead = run.now();
        run.hold(INSTANCE_DOWN);
        run.repair("start api-1", () -> faults.start(victim));
        long started = run.now();
        tier.awaitWhole(HEALED);
        figures.record("api-1 counted UP by the front again after its start", (run.now() - started) / 1000.0, "s");
        long killed = dead - run.sinceFault(dead); // the fault's moment, on the row's clock
        run.judge();

        List<Probe.Attempt<Acknowledged>> failed = run.writes().stream().filter(a -> !a.ok() && a.endMillis() >= killed).toList();
        figures.record("POSTs in flight on api-1 when it died, failed", failed.size(), "");
        // A POST the instance had is answered 503 by the front, naming api-1: the client cannot know
        // whether it was committed, and it began before api-1 was dead. Never the client's connection
        // closed without an answer: that is what HAProxy does when a server closes a connection it
        // reused (CI run 13, when POSTs still rode kept connections: one, 8 ms before the kill), and
        // every write now has a connection of its own (front.cfg, "apis-writes").
        assertThat(failed).as("failed POSTs: each must have been sent to api-1 before it died (kill from %d to %d ms)",
                        killed, dead)
                .allSatisfy(a -> {
                    assertThat(a.error()).matches(e -> e.endsWith(" from api-1"), "a 503 from api-1");
                    assertThat(a.startMillis()).isLessThanOrEqualTo(dead);
                });
    }

    @Test
    @Order(2)
    @DisplayName("an instance frozen with POSTs in flight past the front's server timeout: each POST is answered "
            + "503 or 201 and committed at most once, never sent again to the other instance")
    void postNeverSentTwice(Figures figures) throws Exception {
        ApiContainer frozen = tier.instance("api-1");
        FrozenPosts posts = new FrozenPosts(lab.entry(), 8);
        faults.freeze(frozen);
        List<FrozenPosts.Outcome> outcomes;
        try {
            outcomes = posts.sendAll();
        } finally {
            faults.thaw(frozen);
        }
        tier.awaitWhole(HEALED);
        // The thawed instance may still read and commit the POSTs the front gave up on: let it.
        Thread.sleep(5_000);
        java.util.Map<String, Integer> rows;
        try (var leader = lab.cluster().leader().connectAsApi()) {
            rows = posts.rowsByName(leader);
        }
        List<FrozenPosts.Outcome> timedOut = outcomes.stream()
                .filter(o -> o.status() == 503 && "api-1".equals(o.instance()) && o.millis() >= FrozenPosts.FRONT_SERVER_TIMEOUT_MS - 500)
                .toList();
        figures.record("POSTs sent while api-1 was frozen", outcomes.size(), "");
        figures.record("answered 201", outcomes.stream().filter(o -> o.status() == 201).count(), "");
        figures.record("answered 503 by the front after its server timeout (held by frozen api-1)", timedOut.size(), "");
        figures.record("of these, committed once by api-1 after the thaw", timedOut.stream()
                .filter(o -> rows.getOrDefault(o.name(), 0) == 1).count(), "");
        figures.record("rows committed more than once", rows.values().stream().filter(n -> n > 1).count(), "");
        figures.table("POSTs sent while api-1 was frozen", List.of("name", "status", "from", "took ms", "rows"),
                outcomes.stream().map(o -> List.of(o.name(), String.valueOf(o.status()), o.instance(),
                        String.valueOf(o.millis()), String.valueOf(rows.getOrDefault(o.name(), 0)))).toList());

        assertThat(timedOut).as("POSTs the frozen instance held until the front's server timeout (else this proves nothing)")
                .isNotEmpty();
        assertThat(outcomes).as("every POST answered 201, or 503 with Retry-After in problem+json")
                .allMatch(o -> o.status() == 201 || (o.status() == 503 && o.problemWithRetryAfter()));
        assertThat(rows).as("rows per POST's unique name").allSatisfy((name, count) -> assertThat(count).isLessThanOrEqualTo(1));
        assertThat(outcomes.stream().filter(o -> o.status() == 201))
                .as("acknowledged POSTs stored exactly once").allMatch(o -> rows.getOrDefault(o.name(), 0) == 1);
    }
}
