package catalog.lab;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The repository's docker-compose.yml brought up as users run it, with the lab's images (official or
 * stand-ins, from {@link LabImages}) and free host ports, under a project name of its own
 * ({@code products-ci-} and a random suffix: two runs on one engine never share containers,
 * networks or volumes). {@link #close()} always removes containers, network and volumes.
 */
public final class ComposeStack implements AutoCloseable {
    /** Every project this class starts is named with this prefix (a crashed run's leftovers carry it). */
    public static final String PROJECT_PREFIX = "products-ci-";
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

    private final String project = PROJECT_PREFIX + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> environment = new HashMap<>();
    private final int apiPort;
    private final Map<String, Integer> statsPorts = new HashMap<>();

    private ComposeStack(LabImages images) throws IOException {
        for (LabImages.Service service : List.of(LabImages.Service.POSTGRES, LabImages.Service.REDIS,
                LabImages.Service.HAPROXY, LabImages.Service.ETCD, LabImages.Service.JRE)) {
            environment.put(service.variable, images.image(service).asCanonicalNameString());
        }
        apiPort = freePort();
        environment.put("API_HOST_PORT", String.valueOf(apiPort));
        environment.put("HAPROXY_WRITE_HOST_PORT", String.valueOf(freePort()));
        environment.put("HAPROXY_READ_HOST_PORT", String.valueOf(freePort()));
        environment.put("HAPROXY2_WRITE_HOST_PORT", String.valueOf(freePort()));
        environment.put("HAPROXY2_READ_HOST_PORT", String.valueOf(freePort()));
        statsPorts.put("haproxy-1", freePort());
        statsPorts.put("haproxy-2", freePort());
        statsPorts.put("front", freePort());
        environment.put("HAPROXY_STATS_HOST_PORT", String.valueOf(statsPorts.get("haproxy-1")));
        environment.put("HAPROXY2_STATS_HOST_PORT", String.valueOf(statsPorts.get("haproxy-2")));
        environment.put("FRONT_STATS_HOST_PORT", String.valueOf(statsPorts.get("front")));
    }

    /** Builds the images and starts every service ({@code up -d --build}); needs target/products-api.jar. */
    public static ComposeStack up(LabImages images) throws IOException, InterruptedException {
        if (!Files.isRegularFile(Path.of("target/products-api.jar"))) {
            throw new IllegalStateException("target/products-api.jar is missing: the API image copies it. "
                    + "Run `mvn package` (mvn verify does) before this test.");
        }
        ComposeStack stack = new ComposeStack(images);
        try {
            stack.compose("up", "-d", "--build");
        } catch (RuntimeException | IOException | InterruptedException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /** The API's base URL on the host. */
    public String apiUrl() {
        return "http://localhost:" + apiPort;
    }

    public String project() {
        return project;
    }

    /** The statistics page (CSV) of an HAProxy of the stack: haproxy-1, haproxy-2 or front. */
    public URI statsCsv(String haproxy) {
        return URI.create("http://127.0.0.1:" + statsPorts.get(haproxy) + "/;csv");
    }

    /** {@code docker-compose kill}: SIGKILL to the service's container. */
    public void kill(String service) throws IOException, InterruptedException {
        compose("kill", service);
    }

    /** {@code docker-compose start}: the killed container again, with its disk as the kill left it. */
    public void start(String service) throws IOException, InterruptedException {
        compose("start", service);
    }

    /** The services of docker-compose.yml. */
    public List<String> services() throws IOException, InterruptedException {
        return lines(compose("config", "--services"));
    }

    /** The services whose container runs now. */
    public List<String> running() throws IOException, InterruptedException {
        return lines(compose("ps", "--services", "--filter", "status=running"));
    }

    /** Resident memory of every container of the stack now ({@code docker stats}), in MiB, by container. */
    public Map<String, Double> memoryMiB() throws IOException, InterruptedException {
        List<String> ids = lines(compose("ps", "-q"));
        List<String> command = new ArrayList<>(List.of("docker", "stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}"));
        command.addAll(ids);
        Map<String, Double> memory = new java.util.TreeMap<>();
        for (String line : lines(run(command))) {
            String[] parts = line.split("\\s+");
            memory.put(parts[0].replace(project + "_", "").replaceFirst("_\\d+$", ""), mebibytes(parts[1]));
        }
        return memory;
    }

    private static double mebibytes(String size) {
        double value = Double.parseDouble(size.replaceAll("[^0-9.]", ""));
        if (size.endsWith("GiB")) {
            return value * 1024;
        }
        if (size.endsWith("KiB")) {
            return value / 1024;
        }
        if (size.endsWith("MiB")) {
            return value;
        }
        return value / (1024 * 1024); // bytes
    }

    private static List<String> lines(String output) {
        return output.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    /** Runs SQL with psql as the superuser inside a service's container; returns its output. */
    public String sql(String service, String statement) throws IOException, InterruptedException {
        return compose("exec", "-T", service, "psql", "-U", "postgres", "-tAXc", statement).trim();
    }

    /** Runs {@code docker-compose -p <project> <args>}; fails with its output unless it exits 0. */
    public String compose(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker-compose", "-p", project, "-f", "docker-compose.yml"));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs {@code docker <args>} with the stack's environment; fails with its output unless it exits 0. */
    public String docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return run(command);
    }

    private String run(List<String> command) throws IOException, InterruptedException {
        return Commands.run(command, environment, COMMAND_TIMEOUT);
    }

    /** {@code down -v}: containers, network and volumes go, whatever happened before. */
    @Override
    public void close() throws IOException, InterruptedException {
        compose("down", "-v", "--remove-orphans", "--timeout", "5");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
