package catalog.lab;

import java.nio.file.Path;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.MountableFile;

/**
 * HAProxy with a given configuration at the official image's path, started with the official
 * image's command. Callers expose the ports their configuration binds and say what "ready" means.
 */
public final class HaproxyServer extends GenericContainer<HaproxyServer> {
    public static final String CONFIG_PATH = "/usr/local/etc/haproxy/haproxy.cfg";

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

    /** HAProxy running the given configuration text. */
    public static HaproxyServer withConfigText(LabImages images, Network network, String config) {
        return new HaproxyServer(images, network)
                .withCopyToContainer(Transferable.of(config, 0644), CONFIG_PATH);
    }
}
