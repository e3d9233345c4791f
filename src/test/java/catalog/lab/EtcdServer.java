package catalog.lab;

import java.util.List;
import java.util.stream.Collectors;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * One etcd member, Patroni's consensus store in the lab, reachable on the lab network as
 * {@code alias:2379}. A cluster is a list of members that all name each other (the lab runs one;
 * production runs three). Started with an explicit {@code etcd} command so the official image and
 * Debian's etcd-server behave the same.
 */
public final class EtcdServer extends GenericContainer<EtcdServer> {
    public static final int CLIENT_PORT = 2379;
    private final String alias;

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

    /** The client URL from the host, e.g. for a health check. */
    public String clientUrl() {
        return "http://" + getHost() + ":" + getMappedPort(CLIENT_PORT);
    }
}
