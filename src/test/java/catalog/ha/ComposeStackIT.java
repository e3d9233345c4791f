package catalog.ha;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import catalog.lab.ComposeHealth;
import catalog.lab.ComposeStack;
import catalog.lab.Eventually;
import catalog.lab.LabImages;
import catalog.lab.LabStarts;
import catalog.lab.TierProbes;
import catalog.report.Figures;
import catalog.report.OrderedScenarios;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docker-compose.yml as a user runs it: the whole stack comes up and answers on :3000, and survives
 * {@code docker-compose kill} of any single service but the front itself, under a steady read load
 * through the front, with not one failed read. Each service is killed, left dead 10 s, started
 * again, and the stack must be whole again (ComposeHealth) before the next one. Before the kills,
 * an intruder in each network of the stack knocks on every tier (TierProbes). The stack is this
 * class's own, brought up as a user does and closed at its end: ten idle containers kept for the
 * rest of the run would slow every later scenario.
 */
@Tag("compose")
@DisplayName("The docker-compose stack")
@OrderedScenarios
@ExtendWith(LabStarts.Resolver.class)
class ComposeStackIT {
    private static final Duration DEAD_FOR = Duration.ofSeconds(10);
    private static final Duration HEALED = Duration.ofSeconds(120);
    private static final String LEADER = "pg leader";
    private static final String REPLICA = "pg replica";
    private static final List<String> KILLED_IN_TURN = List.of("etcd-1", "etcd-2", "etcd-3", LEADER, REPLICA,
            "haproxy-1", "haproxy-2", "redis", "api-1", "api-2");
    /** docker-compose.yml's networks an intruder might be on, the front's first. */
    private static final List<String> NETWORKS = List.of("front-api", "api-backends", "haproxy-db");

    /** Closed after the class (down -v), whatever happened. */
    @AutoClose
    private ComposeStack stack;
    private ComposeHealth health;
    private double upSeconds;

    @BeforeAll
    void up(LabStarts starts) throws Exception {
        LabStarts.Begun begun = starts.started("compose");
        stack = ComposeStack.up(LabImages.fromEnvironment());
        health = new ComposeHealth(stack);
        health.awaitHealthy(HEALED);
        upSeconds = begun.seconds();
    }

    @Test
    @Order(1)
    @Tag("hostile")   // also the hostile chapter's: -Dgroups=hostile brings the stack up for it alone
    @DisplayName("refuses an intruder in any of its networks: Redis, Patroni, etcd and the PostgreSQL superuser "
            + "and replication are out of reach or ask for credentials it lacks")
    void tiersRefuseAnIntruder(Figures figures) throws Exception {
        TierProbes probes = new TierProbes(stack);
        List<TierProbes.Result> results = new ArrayList<>();
        for (String network : NETWORKS) {
            results.addAll(probes.from(network));
        }
        figures.table("An intruder in each network of the stack, trying docker-compose.yml's development passwords "
                        + "(lab/TierProbes)",
                List.of("network", "probe", "outcome", "answer"),
                results.stream().map(r -> List.of(r.network(), r.probe(), r.outcome().name().toLowerCase(Locale.ROOT),
                        r.detail())).toList());

        assertThat(results).as("probes run").hasSize(NETWORKS.size() * 11);
        assertThat(results).as("probes that got through").noneMatch(r -> r.outcome() == TierProbes.Outcome.ACCEPTED);
        assertThat(results).as("the front's network reaches no tier behind the API")
                .filteredOn(r -> r.network().equals("front-api")).allMatch(r -> r.outcome() == TierProbes.Outcome.UNREACHABLE);
        assertThat(results).as("etcd is reached from no network but the database nodes'")
                .filteredOn(r -> r.probe().startsWith("etcd")).allMatch(r -> r.outcome() == TierProbes.Outcome.UNREACHABLE);
        assertThat(results).as("the API's network reaches Redis, which refuses what the API's user may not do")
                .filteredOn(r -> r.network().equals("api-backends") && r.probe().startsWith("Redis"))
                .allMatch(r -> r.outcome() == TierProbes.Outcome.REFUSED);
        assertThat(results).as("HAProxy's network reaches Patroni, which asks for its login")
                .filteredOn(r -> r.network().equals("haproxy-db") && r.probe().startsWith("Patroni"))
                .allMatch(r -> r.outcome() == TierProbes.Outcome.REFUSED);
        assertThat(results).as("PostgreSQL refuses the superuser and replication over TCP wherever it is reached")
                .filteredOn(r -> r.probe().startsWith("PostgreSQL") && r.outcome() != TierProbes.Outcome.UNREACHABLE)
                .isNotEmpty().allMatch(r -> r.outcome() == TierProbes.Outcome.REFUSED);
    }

    @Test
    @Order(2)
    @DisplayName("comes up on :3000 and survives docker-compose kill of each service but the front, one at a time, "
            + "with 0 failed reads through the front and the stack whole again before the next")
    void composeStackSurvivesEachKill(Figures figures) throws Exception {
        long started = System.nanoTime();
        ApiClient api = new ApiClient(URI.create(stack.apiUrl()));
        figures.record("up --build to a healthy stack", upSeconds, "s");
        long id = servesFromDatabaseThenCache(api);

        List<List<String>> rows = new ArrayList<>();
        List<String> readsFailed = new ArrayList<>();
        boolean memoryMeasured = false;
        for (String target : KILLED_IN_TURN) {
            String service = switch (target) {
                case LEADER -> health.leader().orElseThrow();
                case REPLICA -> health.leader().map(l -> l.equals("pg-1") ? "pg-2" : "pg-1").orElseThrow();
                default -> target;
            };
            String label = target.equals(service) ? service : target + " (" + service + ")";
            try (ComposeLoad load = new ComposeLoad(URI.create(stack.apiUrl()), id,
                    figures.timeline("docker-compose kill " + label))) {
                load.awaitBaseline(Duration.ofSeconds(30));
                if (!memoryMeasured) {
                    recordMemory(stack, figures);
                    memoryMeasured = true;
                }
                long killedAt = load.now();
                load.mark("kill");
                stack.kill(service);
                Thread.sleep(DEAD_FOR.toMillis());
                stack.start(service);
                load.mark("start");
                Duration healed = health.awaitHealthy(HEALED);
                load.mark("whole");
                Thread.sleep(2_000);
                load.stop();
                ComposeLoad.Figures f = load.figuresFrom(killedAt);
                figures.record(label + ": failed reads", f.failedReads(), "");
                figures.record(label + ": stack whole again after its start", seconds(healed.toNanos()), "s");
                rows.add(List.of(label, String.valueOf(f.reads()), String.valueOf(f.failedReads()),
                        f.slowestReadMillis() + " ms", f.failedWrites() + " of " + f.writes(),
                        f.longestWriteGapMillis() + " ms", String.format(Locale.ROOT, "%.1f s", seconds(healed.toNanos()))));
                if (f.failedReads() > 0) {
                    readsFailed.add(label + ": " + f.failedReads() + " of " + f.reads() + " (" + f.firstFailures() + ")");
                }
            }
        }
        figures.table("docker-compose kill of one service for 10 s, under reads through :3000 (every 50 ms by id, "
                        + "every 50 ms a page from the database) and a POST every 200 ms",
                List.of("killed", "reads", "failed reads", "slowest read", "failed writes", "longest write gap",
                        "stack whole after start"), rows);
        figures.record("the 10 kills", seconds(System.nanoTime() - started), "s");
        assertThat(readsFailed).as("services whose kill failed reads through :3000").isEmpty();
    }

    /** The API creates a product and serves it from the database, then from the cache; returns its id. */
    private static long servesFromDatabaseThenCache(ApiClient api) throws InterruptedException {
        long id = api.create("Clavier", "49.90", 12);
        ApiResponse first = api.get("/products/" + id);
        assertThat(first.json().get("source").getAsString()).isEqualTo("database");
        // The cache is filled asynchronously after a miss: the next GET may come first.
        Eventually.until("a GET served from the cache", Duration.ofSeconds(5), () -> {
            ApiResponse next = api.get("/products/" + id);
            return "cache".equals(next.json().get("source").getAsString())
                    && "Clavier".equals(next.data().get("name").getAsString());
        });
        return id;
    }

    private static void recordMemory(ComposeStack stack, Figures figures) throws Exception {
        Map<String, Double> memory = stack.memoryMiB();
        double total = memory.values().stream().mapToDouble(Double::doubleValue).sum();
        figures.record("memory of the whole stack under the read load (docker stats, sum of " + memory.size()
                + " containers)", Math.round(total), "MiB");
        figures.table("memory per container under the read load (docker stats)", List.of("container", "MiB"),
                memory.entrySet().stream().map(e -> List.of(e.getKey(), String.format(Locale.ROOT, "%.1f", e.getValue()))).toList());
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e8) / 10.0;
    }
}
