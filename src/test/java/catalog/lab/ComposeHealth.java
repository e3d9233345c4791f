package catalog.lab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Whether a {@link ComposeStack} is whole again after a fault, judged from outside as an operator
 * would: every service runs, the three etcd members answer healthy, one PostgreSQL is the primary
 * and streams to the other, each HAProxy routes writes to exactly one node and reads to a replica,
 * the front counts both API instances UP, and both instances answer /health 200 with every part up.
 */
public final class ComposeHealth {
    private static final List<String> ETCD = List.of("etcd-1", "etcd-2", "etcd-3");
    private static final List<String> NODES = List.of("pg-1", "pg-2");

    private final ComposeStack stack;
    private final URI api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1).build();

    public ComposeHealth(ComposeStack stack) {
        this.stack = stack;
        this.api = URI.create(stack.apiUrl());
    }

    /** The PostgreSQL node that is not in recovery now, if exactly one is. */
    public Optional<String> leader() throws IOException, InterruptedException {
        List<String> primaries = new ArrayList<>();
        for (String node : NODES) {
            if ("f".equals(recovery(node))) {
                primaries.add(node);
            }
        }
        return primaries.size() == 1 ? Optional.of(primaries.get(0)) : Optional.empty();
    }

    /** What is not whole yet, or empty when the stack is healthy. */
    public Optional<String> unhealthy() throws InterruptedException {
        try {
            List<String> stopped = new ArrayList<>(stack.services());
            stopped.removeAll(stack.running());
            if (!stopped.isEmpty()) {
                return Optional.of("not running: " + stopped);
            }
            Optional<String> leader = leader();
            if (leader.isEmpty()) {
                return Optional.of("not exactly one primary among " + NODES);
            }
            String streaming = stack.sql(leader.get(), "select count(*) from pg_stat_replication where state = 'streaming'");
            if (!"1".equals(streaming)) {
                return Optional.of(leader.get() + " streams to " + streaming + " replicas");
            }
            for (String member : ETCD) {
                String health = stack.compose("exec", "-T", leader.get(), "curl", "-sS", "-m", "2", "http://" + member + ":2379/health");
                if (!health.contains("\"health\":\"true\"")) {
                    return Optional.of(member + " answers " + health.trim());
                }
            }
            for (String haproxy : List.of("haproxy-1", "haproxy-2")) {
                List<String> writes = up(haproxy, "primary");
                if (!writes.equals(List.of(leader.get()))) {
                    return Optional.of(haproxy + " routes writes to " + writes + ", the leader is " + leader.get());
                }
                if (up(haproxy, "replicas").isEmpty()) {
                    return Optional.of(haproxy + " has no replica UP");
                }
            }
            for (String backend : FrontServer.BACKENDS) {
                List<String> instances = up("front", backend);
                if (!new HashSet<>(instances).containsAll(List.of("api-1", "api-2"))) {
                    return Optional.of("the front counts UP in " + backend + " " + instances);
                }
            }
            // Round robin: four answers come from both instances.
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(api.resolve("/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() != 200 || health.body().contains("\"down\"")) {
                    return Optional.of(health.headers().firstValue("X-Api-Instance").orElse("an instance")
                            + " answers /health " + health.statusCode() + " " + health.body());
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of(e.toString());
        }
    }

    /** Waits until {@link #unhealthy()} is empty; returns how long that took. */
    public Duration awaitHealthy(Duration within) {
        long started = System.nanoTime();
        Eventually.until(within, this::unhealthy, Optional::isEmpty, "the compose stack healthy");
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private String recovery(String node) throws IOException, InterruptedException {
        try {
            return stack.sql(node, "select pg_is_in_recovery()");
        } catch (IllegalStateException notAnswering) {
            return "?";
        }
    }

    /** The servers of one backend that an HAProxy of the stack counts UP after a check. */
    private List<String> up(String haproxy, String backend) throws IOException, InterruptedException {
        String csv = http.send(HttpRequest.newBuilder(stack.statsCsv(haproxy)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return HaproxyServer.ServerState.fromCsv(csv).stream().filter(s -> s.backend().equals(backend) && s.isUpAndChecked())
                .map(HaproxyServer.ServerState::server).toList();
    }
}
