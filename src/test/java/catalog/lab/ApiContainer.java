package catalog.lab;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The products API as users deploy it: the jar that {@code mvn package} built, in the image of
 * {@code docker/api/Dockerfile} on the lab's JRE, on the lab network, reaching HAProxy and Redis by
 * name as in docker-compose. A restarted HAProxy, or a member that comes back at another address,
 * is then met the way it is in production; the host reaches the API through a published port,
 * looked up on every call since it changes when the container restarts.
 */
public final class ApiContainer extends GenericContainer<ApiContainer> {
    public static final int PORT = 3000;

    public ApiContainer(String image, Network network, String alias, Map<String, String> environment) {
        super(image);
        withNetwork(network);
        withNetworkAliases(alias);
        withExposedPorts(PORT);
        withEnv(environment);
        withEnv("PORT", String.valueOf(PORT));
        waitingFor(Wait.forHttp("/health").forPort(PORT).forStatusCode(200).withStartupTimeout(Duration.ofSeconds(60)));
    }

    /**
     * Builds the API's image from the repository's Dockerfile and target/products-api.jar (each run
     * tests the jar it built) and returns its name, localhost/testcontainers/&lt;random&gt;. Ryuk, which
     * would remove it when the run ends, is disabled: {@code .ci/run}'s teardown removes it.
     */
    public static String buildImage(LabImages images) {
        Path repo = Path.of("").toAbsolutePath();
        Path jar = repo.resolve("target/products-api.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("target/products-api.jar is missing: the API image copies it. "
                    + "Run `mvn package` (mvn verify does) before this test.");
        }
        return new ImageFromDockerfile()
                .withFileFromPath("docker/api/Dockerfile", repo.resolve("docker/api/Dockerfile"))
                .withFileFromPath("target/products-api.jar", jar)
                .withDockerfilePath("docker/api/Dockerfile")
                .withBuildArg("BASE_IMAGE", images.jre().asCanonicalNameString())
                .get();
    }

    /** The API's base URL from the host, e.g. {@code http://localhost:32768}. */
    public URI baseUri() {
        Ports.Binding[] bindings = getDockerClient().inspectContainerCmd(getContainerId()).exec()
                .getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(PORT));
        if (bindings == null || bindings.length == 0) {
            throw new IllegalStateException("the API container publishes no port (is it running?)");
        }
        return URI.create("http://" + getHost() + ":" + bindings[0].getHostPortSpec());
    }
}
