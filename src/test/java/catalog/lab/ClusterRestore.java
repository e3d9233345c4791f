package catalog.lab;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The two disasters high availability does not undo, on a {@link ComposeStack}, and the way back:
 * both database nodes lost with their volumes; and {@code scripts/restore.sh}, the restore a person
 * runs, from the stack's pgBackRest repository (docs/backups.md).
 */
public final class ClusterRestore {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(15);
    private static final List<String> NODES = List.of("pg-1", "pg-2");

    /** What the script printed, and how long it took. */
    public record Run(Duration took, String output) {}

    private final ComposeStack stack;
    private final Map<String, String> environment = new HashMap<>();

    /** {@code images}: the ones the stack was started with (the script builds the Patroni image again). */
    public ClusterRestore(ComposeStack stack, LabImages images) {
        this.stack = stack;
        for (LabImages.Service service : List.of(LabImages.Service.POSTGRES, LabImages.Service.REDIS,
                LabImages.Service.HAPROXY, LabImages.Service.ETCD, LabImages.Service.JRE)) {
            environment.put(service.variable, images.image(service).asCanonicalNameString());
        }
    }

    /** Both database nodes killed, their containers and data volumes removed: only the repository is left. */
    public void loseBothNodes() throws IOException, InterruptedException {
        stack.compose("kill", "pg-1", "pg-2");
        stack.compose("rm", "-f", "pg-1", "pg-2");
        for (String node : NODES) {
            String volumes = run(List.of("docker", "volume", "ls", "-q",
                    "--filter", "label=com.docker.compose.project=" + stack.project(),
                    "--filter", "label=com.docker.compose.volume=" + node + "-data"));
            for (String volume : volumes.lines().map(String::trim).filter(v -> !v.isEmpty()).toList()) {
                run(List.of("docker", "volume", "rm", volume));
            }
        }
    }

    /** {@code scripts/restore.sh --yes -p <project>} with the given target, e.g. {@code --latest} or {@code --to <time>}. */
    public Run restore(String... target) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "scripts/restore.sh", "--yes", "-p", stack.project()));
        command.addAll(List.of(target));
        long started = System.nanoTime();
        String output = run(command);
        return new Run(Duration.ofNanos(System.nanoTime() - started), output);
    }

    private String run(List<String> command) throws IOException, InterruptedException {
        return Commands.run(command, environment, SCRIPT_TIMEOUT);
    }
}
