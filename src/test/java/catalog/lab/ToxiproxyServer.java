package catalog.lab;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.ToxiproxyContainer;

/**
 * Toxiproxy on the lab network: each {@link #proxy} puts a proxy in front of a service that the
 * host (the in-process API) then reaches through a published port, so toxics (latency, black hole)
 * and disabling the proxy (connection refused) act on that one path.
 */
public final class ToxiproxyServer extends ToxiproxyContainer {
    /** The container publishes the control port and these proxy ports (Testcontainers' module). */
    private static final int FIRST_PROXY_PORT = 8666;
    private static final int LAST_PROXY_PORT = 8697;

    private final AtomicInteger nextPort = new AtomicInteger(FIRST_PROXY_PORT);
    private ToxiproxyClient client;

    /** A proxy and the host address that goes through it. */
    public record Route(Proxy proxy, String host, int port) {
        /** Changes the proxy (adds a toxic, disables it, ...); Toxiproxy refusing is the lab's failure. */
        public void change(ProxyChange change) {
            try {
                change.apply(proxy);
            } catch (IOException e) {
                throw new UncheckedIOException("toxiproxy refused a change to " + proxy.getName(), e);
            }
        }

        /** Removes every toxic and enables the proxy again. */
        public void heal() {
            change(p -> {
                for (Toxic toxic : p.toxics().getAll()) {
                    toxic.remove();
                }
                p.enable();
            });
        }
    }

    /** One change to a proxy through Toxiproxy's client, whose calls throw IOException. */
    public interface ProxyChange {
        void apply(Proxy proxy) throws IOException;
    }

    public ToxiproxyServer(LabImages images, Network network) {
        super(images.toxiproxy());
        withNetwork(network);
    }

    /** Creates a proxy named {@code name} to {@code upstream} ("alias:port" on the lab network). */
    public Route proxy(String name, String upstream) {
        int port = nextPort.getAndIncrement();
        if (port > LAST_PROXY_PORT) {
            throw new IllegalStateException("Toxiproxy container publishes only 32 proxy ports");
        }
        try {
            Proxy proxy = client().createProxy(name, "0.0.0.0:" + port, upstream);
            return new Route(proxy, getHost(), getMappedPort(port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create proxy " + name + " to " + upstream, e);
        }
    }

    public ToxiproxyClient client() {
        if (client == null) {
            client = new ToxiproxyClient(getHost(), getControlPort());
        }
        return client;
    }

    /** The control API's base URL, e.g. for {@code /version}. */
    public String controlUrl() {
        return "http://" + getHost() + ":" + getControlPort();
    }
}
