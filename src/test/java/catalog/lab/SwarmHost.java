package catalog.lab;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One host of the multi-host lab: a container running its own Docker engine (Docker-in-Docker, the
 * swarm-node image), a manager of the lab's Swarm, with a fixed address on the lab network so that
 * it comes back under the same address after a kill. The host-level faults are verbs here: the whole
 * host killed (every task on it dies at once) and started, or cut from the other hosts by its own
 * firewall while the Docker host, the test's client, still reaches it.
 */
public record SwarmHost(String container, String hostname, String address) {
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);

    /**
     * Runs the host's container. Not --privileged: runc cannot grant the full capability set on
     * these machines (the host's bounding set lacks CAP_SYS_RESOURCE), so every capability but that
     * one, no seccomp or AppArmor profile, writable /proc and /sys paths and every device; the image's
     * entrypoint remounts the cgroup hierarchies writable before it starts dockerd. Its
     * /var/lib/docker is an anonymous volume: kept across a kill, removed with the container.
     */
    static SwarmHost run(String image, String container, String hostname, String network, String address,
            Map<String, String> labels) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker", "run", "-d", "--name", container, "--hostname", hostname,
                "--network", network, "--ip", address,
                "--cap-add", "ALL", "--cap-drop", "SYS_RESOURCE",
                "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
                "--security-opt", "systempaths=unconfined", "--device-cgroup-rule", "a *:* rwm"));
        labels.forEach((k, v) -> command.addAll(List.of("--label", k + "=" + v)));
        command.add(image);
        SwarmHost host = new SwarmHost(container, hostname, address);
        try {
            Commands.run(command, Map.of(), COMMAND_TIMEOUT);
            host.awaitEngine(Duration.ofSeconds(60));
        } catch (RuntimeException | IOException | InterruptedException e) {
            host.remove();   // created, perhaps, but not started: nobody else knows it yet
            throw e;
        }
        return host;
    }

    /** Runs {@code docker <args>} against the host's own engine; returns its output. */
    public String docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker", "exec", container, "docker"));
        command.addAll(List.of(args));
        return Commands.run(command, Map.of(), COMMAND_TIMEOUT);
    }

    /** Runs a shell command inside the host (not in one of its tasks); returns its output. */
    public String shell(String script) throws IOException, InterruptedException {
        return Commands.run(List.of("docker", "exec", container, "sh", "-c", script), Map.of(), COMMAND_TIMEOUT);
    }

    /** Pipes {@code docker save} of the images on the Docker host into this host's engine. */
    void load(List<String> images) throws IOException, InterruptedException {
        String script = "docker save " + String.join(" ", images) + " | docker exec -i " + container + " docker load -q";
        Commands.run(List.of("bash", "-o", "pipefail", "-c", script), Map.of(), Duration.ofMinutes(10));
    }

    /** Copies files of the working directory into the host, under {@code directory}, keeping their paths. */
    void copy(List<String> files, String directory) throws IOException, InterruptedException {
        String script = "tar c " + String.join(" ", files) + " | docker exec -i " + container
                + " sh -c 'mkdir -p " + directory + " && tar x -C " + directory + "'";
        Commands.run(List.of("bash", "-o", "pipefail", "-c", script), Map.of(), COMMAND_TIMEOUT);
    }

    /** SIGKILL to the whole host: its engine and every task on it die at once, the disk stays. */
    public void kill() throws IOException, InterruptedException {
        Commands.run(List.of("docker", "kill", container), Map.of(), COMMAND_TIMEOUT);
    }

    /** The killed host started again: its engine comes back, rejoins the Swarm and gets its tasks back. */
    public void start() throws IOException, InterruptedException {
        Commands.run(List.of("docker", "start", container), Map.of(), COMMAND_TIMEOUT);
        awaitEngine(Duration.ofSeconds(60));
    }

    /**
     * Cuts this host from the others: its firewall drops every packet to or from their addresses
     * (Swarm's gossip and Raft, the overlay networks' VXLAN), the Docker host still reaches it.
     */
    public void cutFrom(List<SwarmHost> others) throws IOException, InterruptedException {
        shell(firewall("-I", others));
    }

    /** Removes the cut's rules. */
    public void reconnectTo(List<SwarmHost> others) throws IOException, InterruptedException {
        shell(firewall("-D", others));
    }

    private static String firewall(String action, List<SwarmHost> others) {
        StringBuilder script = new StringBuilder("set -e");
        for (SwarmHost other : others) {
            script.append("; iptables ").append(action).append(" INPUT -s ").append(other.address).append(" -j DROP")
                    .append("; iptables ").append(action).append(" OUTPUT -d ").append(other.address).append(" -j DROP");
        }
        return script.toString();
    }

    /** Removes the host's container and its disk. */
    void remove() throws IOException, InterruptedException {
        try {
            Commands.run(List.of("docker", "rm", "-f", "-v", container), Map.of(), COMMAND_TIMEOUT);
        } catch (IllegalStateException noSuchContainer) {
            // never created: nothing to remove
        }
    }

    private void awaitEngine(Duration within) {
        Eventually.until(hostname + "'s Docker engine answers", within,
                () -> !docker("version", "--format", "{{.Server.Version}}").isBlank());
    }

    @Override
    public String toString() {
        return hostname;
    }
}
