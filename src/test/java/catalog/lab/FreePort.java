package catalog.lab;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.testcontainers.containers.GenericContainer;

/** A local TCP port nothing listens on right now (for a server to bind, or for a client to be refused). */
public final class FreePort {
    private FreePort() {}

    /**
     * Publishes the container's {@code port} on a port free now, fixed for the container's life:
     * Docker gives a container a new random port on every start, and a shared lab's server that a
     * scenario stopped must come back where the API and the lab's own connections look for it.
     */
    public static <T extends GenericContainer<T>> T publishOn(T container, int port) {
        int hostPort = pick();
        return container.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                new PortBinding(Ports.Binding.bindPort(hostPort), new ExposedPort(port))));
    }

    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
