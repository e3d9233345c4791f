package catalog.lab;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * One etcd member, Patroni's consensus store in the lab, reachable on the lab network as
 * {@code alias:2379}. A cluster is a list of members that all name each other (the lab runs three,
 * like docker-compose: one lost member leaves a quorum of two). A killed member started again keeps
 * its data directory and rejoins the cluster (the initial-cluster flags only matter on first start). Started with an explicit {@code etcd} command so the official image and
 * Debian's etcd-server behave the same.
 */
public final class EtcdServer extends GenericContainer<EtcdServer> {
    public static final int CLIENT_PORT = 2379;
    private final String alias;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** A single-member cluster. */
    public EtcdServer(LabImages images, Network network, String alias) {
        this(images, network, alias, List.of(alias));
    }

    /** The member {@code alias} of a cluster whose members are {@code members} (all started together). */
    public EtcdServer(LabImages images, Network network, String alias, List<String> members) {
        super(images.etcd());
        this.alias = alias;
        withNetwork(network);
        withNetworkAliases(alias);
        withExposedPorts(CLIENT_PORT);
        withCommand("etcd",
                "--name", alias,
                "--data-dir", "/tmp/etcd-data",
                "--listen-client-urls", "http://0.0.0.0:2379",
                "--advertise-client-urls", "http://" + alias + ":2379",
                "--listen-peer-urls", "http://0.0.0.0:2380",
                "--initial-advertise-peer-urls", "http://" + alias + ":2380",
                "--initial-cluster", members.stream().map(m -> m + "=http://" + m + ":2380").collect(Collectors.joining(",")),
                "--initial-cluster-state", "new");
        waitingFor(Wait.forHttp("/health").forPort(CLIENT_PORT).forStatusCode(200));
    }

    public static List<EtcdServer> cluster(LabImages images, Network network, List<String> members) {
        return members.stream().map(m -> new EtcdServer(images, network, m, members)).toList();
    }

    /** The address other containers on the lab network use, e.g. {@code etcd:2379}. */
    public String internalAddress() {
        return alias + ":" + CLIENT_PORT;
    }

    /** The client URL from the host (its port looked up now: it changes when the member is started again). */
    public String clientUrl() {
        Ports.Binding[] bindings = getDockerClient().inspectContainerCmd(getContainerId()).exec()
                .getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(CLIENT_PORT));
        if (bindings == null || bindings.length == 0) {
            throw new IllegalStateException(alias + " publishes no client port (is it running?)");
        }
        return "http://" + getHost() + ":" + bindings[0].getHostPortSpec();
    }

    /** Whether this member is the Raft leader of its cluster now (etcd's maintenance status). */
    public boolean isLeader() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(clientUrl() + "/v3/maintenance/status"))
                    .timeout(Duration.ofSeconds(2)).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            JsonObject status = JsonParser.parseString(http.send(request, HttpResponse.BodyHandlers.ofString()).body())
                    .getAsJsonObject();
            return status.has("leader")
                    && status.get("leader").getAsString().equals(status.getAsJsonObject("header").get("member_id").getAsString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;   // a member that does not answer leads nothing
        }
    }

    @Override
    public String toString() {
        return alias;
    }
}
