package catalog.lab;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A single-node etcd, Patroni's consensus store in the lab (production runs three). Reachable on
 * the lab network as {@code alias:2379}; started with an explicit {@code etcd} command so the
 * official image and Debian's etcd-server behave the same.
 */
public final class EtcdServer extends GenericContainer<EtcdServer> {
    public static final int CLIENT_PORT = 2379;
    private final String alias;

    public EtcdServer(LabImages images, Network network, String alias) {
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
                "--initial-cluster", alias + "=http://" + alias + ":2380",
                "--initial-cluster-state", "new");
        waitingFor(Wait.forHttp("/health").forPort(CLIENT_PORT).forStatusCode(200));
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
