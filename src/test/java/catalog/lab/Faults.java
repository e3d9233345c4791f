package catalog.lab;

import com.github.dockerjava.api.model.ContainerNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * The lab's fault vocabulary, for any member on the lab network (a Patroni node, etcd, HAProxy,
 * Redis, an API instance): kill and start, restart, freeze (all of it or one process) and thaw, cut
 * and reconnect, crash one process. Scenarios say what breaks; they never call Docker themselves.
 *
 * <p>It remembers what it left broken, so {@link #undoAll()} can bring every member back after a
 * scenario that failed halfway (thaw, reconnect, start), and the next scenario starts whole.
 */
public final class Faults {
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final Network network;
    private final Set<GenericContainer<?>> killed = new LinkedHashSet<>();
    private final Set<GenericContainer<?>> frozen = new LinkedHashSet<>();
    private final Map<GenericContainer<?>, List<String>> cut = new LinkedHashMap<>();

    public Faults(Network network) {
        this.network = network;
    }

    /** SIGKILL to the whole container: every process dies at once, as in a crash of its machine. */
    public synchronized void kill(GenericContainer<?> member) {
        member.getDockerClient().killContainerCmd(member.getContainerId()).exec();
        killed.add(member);
    }

    /** Starts a killed member again, with its disk as the crash left it (its ports are published anew). */
    public synchronized void start(GenericContainer<?> member) {
        member.getDockerClient().startContainerCmd(member.getContainerId()).exec();
        killed.remove(member);
    }

    /** SIGTERM, then SIGKILL after a 2 s grace, then start: a service restarted by its supervisor. */
    public void restart(GenericContainer<?> member) {
        member.getDockerClient().restartContainerCmd(member.getContainerId())
                .withTimeout((int) STOP_GRACE.toSeconds()).exec();
    }

    /**
     * SIGSTOP to every process of the member (a VM stall, a GC pause of the whole machine): sockets
     * stay open, the kernel still completes TCP handshakes, nothing answers. Repeats until no new
     * process appears, since a process may fork while its siblings are being stopped.
     */
    public synchronized void freeze(GenericContainer<?> member) {
        Set<Long> stopped = new LinkedHashSet<>();
        for (int round = 0; round < 5; round++) {
            List<ContainerProcesses.Process> fresh = ContainerProcesses.of(member).stream()
                    .filter(p -> !stopped.contains(p.pid())).toList();
            if (fresh.isEmpty()) {
                break;
            }
            ContainerProcesses.signal(member, "STOP", fresh);
            fresh.forEach(p -> stopped.add(p.pid()));
        }
        frozen.add(member);
    }

    /**
     * SIGSTOP to the one process of the member that matches (e.g. {@link PatroniNode#PATRONI}): a
     * hung agent beside a server that runs on. {@link #thaw} resumes it.
     */
    public synchronized void freeze(GenericContainer<?> member, Predicate<ContainerProcesses.Process> process) {
        ContainerProcesses.signal(member, "STOP", one(member, process));
        frozen.add(member);
    }

    /** SIGCONT to every process of a frozen member. */
    public synchronized void thaw(GenericContainer<?> member) {
        ContainerProcesses.signal(member, "CONT", ContainerProcesses.of(member));
        frozen.remove(member);
    }

    /**
     * Disconnects the member from the lab network: it reaches nothing and nothing reaches it (nor
     * Docker's DNS, so its name lookups fail), while every process runs on.
     */
    public synchronized void cut(GenericContainer<?> member) {
        List<String> aliases = new ArrayList<>(member.getNetworkAliases());
        member.getDockerClient().disconnectFromNetworkCmd()
                .withNetworkId(network.getId()).withContainerId(member.getContainerId()).withForce(true).exec();
        cut.put(member, aliases);
    }

    /** Connects a cut member again under the same names (its address may change). */
    public synchronized void reconnect(GenericContainer<?> member) {
        List<String> aliases = cut.getOrDefault(member, member.getNetworkAliases());
        member.getDockerClient().connectToNetworkCmd()
                .withNetworkId(network.getId()).withContainerId(member.getContainerId())
                .withContainerNetwork(new ContainerNetwork().withAliases(aliases)).exec();
        cut.remove(member);
    }

    /**
     * SIGKILL to the one process of the member that matches (e.g. {@link PatroniNode#PATRONI}), the
     * rest of the container untouched; returns it.
     */
    public ContainerProcesses.Process crash(GenericContainer<?> member, Predicate<ContainerProcesses.Process> process) {
        List<ContainerProcesses.Process> matching = one(member, process);
        ContainerProcesses.signal(member, "KILL", matching);
        return matching.get(0);
    }

    private static List<ContainerProcesses.Process> one(GenericContainer<?> member, Predicate<ContainerProcesses.Process> process) {
        List<ContainerProcesses.Process> all = ContainerProcesses.of(member).stream().filter(process).toList();
        // A child forked a moment ago (a new PostgreSQL backend) carries its parent's command line
        // until it renames itself: the topmost match is the process meant.
        java.util.Set<Long> pids = all.stream().map(ContainerProcesses.Process::pid).collect(java.util.stream.Collectors.toSet());
        List<ContainerProcesses.Process> matching = all.stream().filter(p -> !pids.contains(p.ppid())).toList();
        if (matching.size() != 1) {
            throw new IllegalStateException("expected one matching process in " + member.getContainerName()
                    + ", found " + matching);
        }
        return matching;
    }

    /** Undoes whatever this lab's faults left: thaws the frozen, reconnects the cut, starts the killed. */
    public synchronized void undoAll() {
        new ArrayList<>(frozen).forEach(this::thaw);
        new ArrayList<>(cut.keySet()).forEach(this::reconnect);
        for (GenericContainer<?> member : new ArrayList<>(killed)) {
            if (!isRunning(member)) {
                start(member);
            }
            killed.remove(member);
        }
    }

    /** The member's address on the lab network now (a member started again may come back at another one). */
    public String address(GenericContainer<?> member) {
        return member.getDockerClient().inspectContainerCmd(member.getContainerId()).exec()
                .getNetworkSettings().getNetworks().values().stream()
                .filter(n -> network.getId().equals(n.getNetworkID())).map(ContainerNetwork::getIpAddress)
                .findFirst().orElse("none");
    }

    /** Whether the member's container runs (false after {@link #kill} until {@link #start}). */
    public static boolean isRunning(GenericContainer<?> member) {
        Boolean running = member.getDockerClient().inspectContainerCmd(member.getContainerId()).exec()
                .getState().getRunning();
        return Boolean.TRUE.equals(running);
    }
}
