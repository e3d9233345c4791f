package catalog.lab;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.MountableFile;

/**
 * HAProxy with a given configuration at the official image's path, started with the official
 * image's command. Callers expose the ports their configuration binds and say what "ready" means.
 * With {@link #withStatsPage()}, the statistics page of the repository's haproxy.cfg tells which
 * servers each backend counts UP ({@link #servers()}).
 */
public final class HaproxyServer extends GenericContainer<HaproxyServer> {
    public static final String CONFIG_PATH = "/usr/local/etc/haproxy/haproxy.cfg";
    public static final int STATS_PORT = 7000;

    /** One server of one backend as the statistics page shows it, e.g. (primary, pg-1, "UP", "L7OK"). */
    public record ServerState(String backend, String server, String status, String checkStatus) {
        /** UP (or going down) after at least one check: HAProxy would route new connections to it. */
        public boolean isUpAndChecked() {
            return status.startsWith("UP") && !checkStatus.contains("INI");
        }

        /** The server rows of HAProxy's statistics page as CSV ({@code /;csv}). */
        public static List<ServerState> fromCsv(String csv) {
            String[] lines = csv.split("\n");
            List<String> columns = Arrays.asList(lines[0].replaceFirst("^# ", "").split(",", -1));
            int backend = columns.indexOf("pxname");
            int server = columns.indexOf("svname");
            int status = columns.indexOf("status");
            int check = columns.indexOf("check_status");
            List<ServerState> servers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String[] cells = lines[i].split(",", -1);
                if (cells.length > check && !"FRONTEND".equals(cells[server]) && !"BACKEND".equals(cells[server])) {
                    servers.add(new ServerState(cells[backend], cells[server], cells[status], cells[check]));
                }
            }
            return servers;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private HaproxyServer(LabImages images, Network network) {
        super(images.haproxy());
        withNetwork(network);
        withCommand("haproxy", "-f", CONFIG_PATH);
    }

    /** HAProxy running the configuration file at {@code config} (e.g. the repo's haproxy.cfg). */
    public static HaproxyServer withConfigFile(LabImages images, Network network, Path config) {
        return new HaproxyServer(images, network)
                .withCopyFileToContainer(MountableFile.forHostPath(config, 0644), CONFIG_PATH);
    }

    /** A file the configuration loads (e.g. haproxy.cfg's Lua), copied beside it in the container. */
    public HaproxyServer withFileBesideConfig(Path file) {
        return withCopyFileToContainer(MountableFile.forHostPath(file, 0644),
                Path.of(CONFIG_PATH).resolveSibling(file.getFileName()).toString());
    }

    /** HAProxy running the given configuration text. */
    public static HaproxyServer withConfigText(LabImages images, Network network, String config) {
        return new HaproxyServer(images, network)
                .withCopyToContainer(Transferable.of(config, 0644), CONFIG_PATH);
    }

    /** Publishes haproxy.cfg's statistics page (bound to the loopback unless HAPROXY_STATS_BIND says otherwise). */
    public HaproxyServer withStatsPage() {
        withEnv("HAPROXY_STATS_BIND", "0.0.0.0:" + STATS_PORT);
        addExposedPort(STATS_PORT);
        return this;
    }

    /** Every server of every backend, from the statistics page's CSV. */
    public List<ServerState> servers() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + getHost() + ":" + currentPort(STATS_PORT) + "/;csv"))
                .timeout(Duration.ofSeconds(1)).build();
        return ServerState.fromCsv(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    /** The servers of {@code backend} that take new connections now. */
    public List<String> upIn(String backend) throws IOException, InterruptedException {
        return servers().stream().filter(s -> s.backend().equals(backend) && s.isUpAndChecked())
                .map(ServerState::server).toList();
    }

    /** The host port published right now (it changes when the container restarts). */
    public int currentPort(int containerPort) {
        Ports.Binding[] bindings = getDockerClient().inspectContainerCmd(getContainerId()).exec()
                .getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(containerPort));
        if (bindings == null || bindings.length == 0) {
            throw new IllegalStateException(getNetworkAliases() + " publishes no port for " + containerPort + " (is it running?)");
        }
        return Integer.parseInt(bindings[0].getHostPortSpec());
    }
}
