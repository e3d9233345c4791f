package catalog.lab;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * One PostgreSQL + Patroni node of the lab cluster, known on the lab network by its name
 * ({@code pg-1}, {@code pg-2}), the same names docker-compose uses and haproxy.cfg defaults to.
 *
 * <p>A node can be killed and started again as the same container (its data directory survives, as
 * a crashed server's disk would), which publishes its ports anew: addresses are therefore looked up
 * from Docker on every call, never cached.
 */
public final class PatroniNode extends GenericContainer<PatroniNode> {
    public static final int POSTGRES_PORT = 5432;
    public static final int REST_PORT = 8008;
    /** Patroni's own process (for {@link Faults#crash}). */
    public static final Predicate<ContainerProcesses.Process> PATRONI =
            p -> p.command().matches("\\S*python3? \\S*/patroni /etc/patroni/patroni.yml");
    /** The postmaster: the postgres process that the others are children of. */
    public static final Predicate<ContainerProcesses.Process> POSTMASTER = p -> p.command().matches("\\S*/postgres -D .*");
    /**
     * Name lookups fail within 1 s, not 5 s x 2 attempts: a node cut from the network cannot reach
     * Docker's DNS, and Patroni's etcd client resolves its hosts again on each reconnect; with the
     * resolver's defaults a cut-off leader's demotion was measured 20 s late (FACTS.md).
     */
    static final List<String> DNS_OPTIONS = List.of("timeout:1", "attempts:1");

    private final String name;
    private final ClusterSecrets secrets;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    public PatroniNode(String image, Network network, String name, String etcdAddress, ClusterSecrets secrets) {
        super(image);
        this.name = name;
        this.secrets = secrets;
        withNetwork(network);
        withNetworkAliases(name);
        withExposedPorts(POSTGRES_PORT, REST_PORT);
        // After a kill, a stale socket lock would delay the restart (FACTS: "lock file already exists").
        withTmpFs(Map.of("/var/run/postgresql", "rw"));
        withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withDnsOptions(DNS_OPTIONS));
        withEnv("PATRONI_NAME", name);
        withEnv("PATRONI_ETCD3_HOSTS", etcdAddress);
        withEnv("PATRONI_RESTAPI_USERNAME", ClusterSecrets.REST_API_USER);
        withEnv("PATRONI_RESTAPI_PASSWORD", secrets.restApiPassword());
        // The superuser logs in over TCP from nowhere but the Docker host (the network's gateway):
        // the lab's own checks (pg_stat_replication, ...), never a container (docker/patroni/patroni-config.py).
        withEnv("PG_SUPERUSER_FROM", dockerHostAddress(network));
        withEnv("PATRONI_SUPERUSER_PASSWORD", secrets.superuserPassword());
        withEnv("PATRONI_REPLICATION_PASSWORD", secrets.replicationPassword());
        withEnv("PATRONI_REWIND_PASSWORD", secrets.rewindPassword());
        withEnv("DB_USER", secrets.apiUser());
        withEnv("DB_PASSWORD", secrets.apiPassword());
        waitingFor(Wait.forHttp("/health").forPort(REST_PORT).forStatusCode(200)
                .withStartupTimeout(Duration.ofSeconds(90)));
    }

    public String name() {
        return name;
    }

    /** HTTP status of a GET on Patroni's REST API, or -1 when the node does not answer. */
    public int restStatus(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(restUrl() + path))
                    .timeout(Duration.ofSeconds(2)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | IllegalStateException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The body of a GET on Patroni's REST API (e.g. {@code /cluster}). */
    public String restGet(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(restUrl() + path))
                .timeout(Duration.ofSeconds(2)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** POSTs JSON to Patroni's REST API with the cluster's login and returns the response. */
    public HttpResponse<String> restPost(String path, String json) throws IOException, InterruptedException {
        return unsafe("POST", path, json, true);
    }

    /** PATCHes the cluster's dynamic configuration (Patroni writes it to the DCS, so etcd must have a quorum). */
    public HttpResponse<String> patchConfig(String json) throws IOException, InterruptedException {
        return unsafe("PATCH", "/config", json, true);
    }

    /** An unsafe method on Patroni's REST API, with the cluster's login or, to show it refused, without. */
    public HttpResponse<String> unsafe(String method, String path, String json, boolean withLogin)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(restUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
        if (withLogin) {
            String login = ClusterSecrets.REST_API_USER + ":" + secrets.restApiPassword();
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public boolean hasRole(Role role) {
        return restStatus(role.restPath) == 200;
    }

    /** A superuser connection straight to this node's PostgreSQL (bounded timeouts). */
    public Connection connectAsSuperuser() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), ClusterSecrets.SUPERUSER, secrets.superuserPassword());
    }

    /** A connection straight to this node as the API's role. */
    public Connection connectAsApi() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), secrets.apiUser(), secrets.apiPassword());
    }

    /**
     * A connection straight to this node as the API's role whose every wait is short: a frozen or
     * cut-off node fails a call within about {@code socketTimeoutSeconds} instead of hanging it.
     */
    public Connection connectAsApi(int socketTimeoutSeconds) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + getHost() + ":" + currentPort(POSTGRES_PORT) + "/"
                + ClusterSecrets.DATABASE + "?connectTimeout=1&loginTimeout=" + socketTimeoutSeconds
                + "&socketTimeout=" + socketTimeoutSeconds + "&ApplicationName=lab-probe",
                secrets.apiUser(), secrets.apiPassword());
    }

    /** Whether the container runs (false after a kill until it is started again). */
    public boolean isUp() {
        return Faults.isRunning(this);
    }

    /** The address the Docker host has on the network: where the lab's own connections come from. */
    private static String dockerHostAddress(Network network) {
        var configs = DockerClientFactory.instance().client().inspectNetworkCmd().withNetworkId(network.getId())
                .exec().getIpam().getConfig();
        return configs.stream().map(c -> c.getGateway()).filter(g -> g != null && !g.contains(":")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the lab network has no IPv4 gateway: " + configs));
    }

    private String jdbcUrl() {
        return "jdbc:postgresql://" + getHost() + ":" + currentPort(POSTGRES_PORT) + "/" + ClusterSecrets.DATABASE
                + "?connectTimeout=2&loginTimeout=3&socketTimeout=5&ApplicationName=lab";
    }

    private String restUrl() {
        return "http://" + getHost() + ":" + currentPort(REST_PORT);
    }

    /** The host port published right now (it changes when the container starts again). */
    private int currentPort(int containerPort) {
        Ports.Binding[] bindings = getDockerClient().inspectContainerCmd(getContainerId()).exec()
                .getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(containerPort));
        if (bindings == null || bindings.length == 0) {
            throw new IllegalStateException(name + " publishes no port for " + containerPort + " (is it running?)");
        }
        return Integer.parseInt(bindings[0].getHostPortSpec());
    }

    @Override
    public String toString() {
        return name;
    }
}
