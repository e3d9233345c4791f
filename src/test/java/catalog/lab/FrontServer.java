package catalog.lab;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The HTTP front of docker-compose.yml in the lab: HAProxy running the repository's front.cfg on
 * the lab network, naming the API instances by their lab names (front.cfg reads them from the
 * environment), published on a host port. It is never broken itself: production makes it a pair
 * (README, "On several hosts").
 */
public final class FrontServer implements AutoCloseable {
    public static final int PORT = 3000;
    /** Reads go to "apis", every other method to "apis-writes", each with its own checks (front.cfg). */
    public static final List<String> BACKENDS = List.of("apis", "apis-writes");

    private final HaproxyServer haproxy;

    /** The front for exactly the two instances front.cfg names, {@code instances} in its order. */
    public FrontServer(LabImages images, Network network, List<String> instances) {
        if (instances.size() != 2) {
            throw new IllegalArgumentException("front.cfg names two API instances, not " + instances);
        }
        haproxy = HaproxyServer.withConfigFile(images, network, Path.of("front.cfg").toAbsolutePath())
                .withNetworkAliases("front")
                .withEnv("FRONT_STATS_BIND", "0.0.0.0:" + HaproxyServer.STATS_PORT)
                .withEnv("API1_HOST", instances.get(0))
                .withEnv("API1_PORT", String.valueOf(ApiContainer.PORT))
                .withEnv("API2_HOST", instances.get(1))
                .withEnv("API2_PORT", String.valueOf(ApiContainer.PORT))
                .withExposedPorts(PORT, HaproxyServer.STATS_PORT)
                // Answered through the front by an instance: the front and one instance at least work.
                .waitingFor(Wait.forHttp("/health/live").forPort(PORT).forStatusCode(200)
                        .withStartupTimeout(Duration.ofSeconds(60)));
    }

    public void start() {
        haproxy.start();
    }

    /** The front's base URL from the host. */
    public URI baseUri() {
        return URI.create("http://" + haproxy.getHost() + ":" + haproxy.currentPort(PORT));
    }

    /** The instances the front sends new requests to now, reads and writes (UP after at least one check in both backends). */
    public List<String> upInstances() throws IOException, InterruptedException {
        List<String> up = new ArrayList<>(haproxy.upIn(BACKENDS.get(0)));
        up.retainAll(haproxy.upIn(BACKENDS.get(1)));
        return up;
    }

    /** Whether the front counts every one of {@code instances} UP. */
    public boolean countsUp(List<String> instances) {
        try {
            return new HashSet<>(upInstances()).containsAll(instances);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        haproxy.close();
    }
}
