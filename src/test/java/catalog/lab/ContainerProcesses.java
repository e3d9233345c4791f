package catalog.lab;

import com.github.dockerjava.api.command.TopContainerResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.GenericContainer;

/**
 * The processes of one container as the Docker engine sees them (host pids, parents, command
 * lines), and signals sent to them from this machine: SIGSTOP/SIGCONT freeze and resume a whole
 * container without {@code docker pause}, which can wedge when an exec races it, and SIGKILL crashes
 * one process (Patroni, the postmaster) while the rest of the container runs on.
 *
 * <p>Needs the engine on this machine (the spec's case): the pids must be this kernel's. Each pid
 * is checked to belong to the container before it is signalled.
 */
public final class ContainerProcesses {
    /** One process: host pid, parent pid, command line. */
    public record Process(long pid, long ppid, String command) {}

    private ContainerProcesses() {}

    public static List<Process> of(GenericContainer<?> container) {
        TopContainerResponse top = container.getDockerClient().topContainerCmd(container.getContainerId())
                .withPsArgs("-eo pid,ppid,args").exec();
        List<String> titles = Arrays.asList(top.getTitles());
        int pid = titles.indexOf("PID");
        int ppid = titles.indexOf("PPID");
        int command = titles.indexOf("COMMAND");
        List<Process> processes = new ArrayList<>();
        for (String[] row : top.getProcesses()) {
            processes.add(new Process(Long.parseLong(row[pid].trim()), Long.parseLong(row[ppid].trim()), row[command]));
        }
        return processes;
    }

    /**
     * Sends {@code signal} ("STOP", "CONT", "KILL") to these processes of the container. A process
     * that ended since the listing (a short-lived child, a Patroni the fencing script replaced) is
     * skipped: the signal reaches every listed process that still exists. A pid that exists and is
     * not the container's (reused by another process meanwhile) is refused.
     */
    public static void signal(GenericContainer<?> container, String signal, List<Process> processes) {
        requireLocalEngine(container);
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        for (Process p : processes) {
            if (requireInContainerIfAlive(container, p.pid())) {
                command.add(String.valueOf(p.pid()));
            }
        }
        if (command.size() == 2) {
            return;
        }
        try {
            java.lang.Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes());
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                // A process may still end between the check and the signal; that is no error.
                if (!output.contains("No such process")) {
                    throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The container's first process must be visible in this machine's /proc under the container's
     * cgroup: otherwise the engine runs elsewhere and the pids Docker reports are not this kernel's.
     */
    private static void requireLocalEngine(GenericContainer<?> container) {
        Long init = container.getDockerClient().inspectContainerCmd(container.getContainerId()).exec()
                .getState().getPidLong();
        if (init == null || init <= 0) {
            throw new IllegalStateException(container.getContainerName() + " has no running process to signal");
        }
        if (!belongsTo(container, init)) {
            throw new IllegalStateException("pid " + init + " of " + container.getContainerName() + " is not on this "
                    + "machine: freezing or crashing a process needs the Docker engine to run here");
        }
    }

    /** False when the process has ended; true when it runs in the container; throws otherwise. */
    private static boolean requireInContainerIfAlive(GenericContainer<?> container, long pid) {
        if (belongsTo(container, pid)) {
            return true;
        }
        if (!Files.exists(Path.of("/proc", String.valueOf(pid)))) {
            return false;
        }
        throw new IllegalStateException("pid " + pid + " is not in container " + container.getContainerName());
    }

    private static boolean belongsTo(GenericContainer<?> container, long pid) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(pid), "cgroup")).contains(container.getContainerId());
        } catch (IOException e) {
            return false; // ended (no /proc entry) or unreadable: the caller decides which
        }
    }
}
