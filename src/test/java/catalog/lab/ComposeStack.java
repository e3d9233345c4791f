package catalog.lab;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The repository's docker-compose.yml brought up as users run it, with the lab's images (official or
 * stand-ins, from {@link LabImages}) and free host ports, under the project name {@code products-ci}
 * (which .ci/run also tears down). {@link #close()} always removes containers, network and volumes.
 */
public final class ComposeStack implements AutoCloseable {
    public static final String PROJECT = "products-ci";
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

    private final Map<String, String> environment = new HashMap<>();
    private final int apiPort;

    private ComposeStack(LabImages images) throws IOException {
        for (LabImages.Service service : List.of(LabImages.Service.POSTGRES, LabImages.Service.REDIS,
                LabImages.Service.HAPROXY, LabImages.Service.ETCD, LabImages.Service.JRE)) {
            environment.put(service.variable, images.image(service).asCanonicalNameString());
        }
        apiPort = freePort();
        environment.put("API_HOST_PORT", String.valueOf(apiPort));
        environment.put("HAPROXY_WRITE_HOST_PORT", String.valueOf(freePort()));
        environment.put("HAPROXY_READ_HOST_PORT", String.valueOf(freePort()));
        environment.put("HAPROXY_STATS_HOST_PORT", String.valueOf(freePort()));
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

    /** Runs SQL with psql as the superuser inside a service's container; returns its output. */
    public String sql(String service, String statement) throws IOException, InterruptedException {
        return compose("exec", "-T", service, "psql", "-U", "postgres", "-tAXc", statement).trim();
    }

    /** Runs {@code docker-compose -p products-ci <args>}; fails with its output unless it exits 0. */
    public String compose(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker-compose", "-p", PROJECT, "-f", "docker-compose.yml"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        // Output is read to the end before waiting, so a chatty build cannot fill the pipe and block.
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ":\n" + output);
        }
        return output;
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
