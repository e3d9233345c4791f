package catalog.lab;

import com.github.dockerjava.api.exception.NotFoundException;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * The one place that names every image the specification uses.
 *
 * <p>Defaults are the official images, which a machine with a registry pulls. A machine without one
 * (this project's CI) builds stand-ins from Debian packages with {@code scripts/offline-images.sh},
 * whose {@code .lab/images.env} overrides the names through environment variables; a system
 * property {@code lab.image.<service>} overrides both. Containers are always started with explicit
 * commands, so an official image and its stand-in behave the same.
 *
 * <p>Before a container starts, the image is checked: without a Docker engine, or in CI without the
 * image, the test fails with a message that says how to fix it, instead of hanging on a pull.
 */
public final class LabImages {
    /** Every service image, with its environment variable and official default. */
    public enum Service {
        // The same majors as the Debian trixie stand-ins (scripts/offline-images.sh): both paths run
        // PostgreSQL 17, HAProxy 3.0, etcd 3.5, Redis 8 and a Java 21 runtime.
        POSTGRES("POSTGRES_IMAGE", "postgres:17"),
        REDIS("REDIS_IMAGE", "redis:8"),
        HAPROXY("HAPROXY_IMAGE", "haproxy:3.0"),
        ETCD("ETCD_IMAGE", "quay.io/coreos/etcd:v3.5.21"),
        TOXIPROXY("TOXIPROXY_IMAGE", "ghcr.io/shopify/toxiproxy:2.12.0"),
        JRE("JRE_IMAGE", "eclipse-temurin:21-jre"),
        // A host of the multi-host lab: a Docker engine in a container. The lab runs it with the
        // repository's own entrypoint (docker/standin/swarm-node), which the official image lacks:
        // offline-images.sh builds it everywhere this chapter runs.
        SWARM_NODE("SWARM_NODE_IMAGE", "standin/swarm-node:trixie");

        final String variable;
        final String officialImage;

        Service(String variable, String officialImage) {
            this.variable = variable;
            this.officialImage = officialImage;
        }

        String property() {
            return "lab.image." + name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<String, String> environment;
    private final UnaryOperator<String> properties;

    private LabImages(Map<String, String> environment, UnaryOperator<String> properties) {
        this.environment = environment;
        this.properties = properties;
    }

    /** Image names as this JVM's environment and system properties set them. */
    public static LabImages fromEnvironment() {
        return new LabImages(System.getenv(), System::getProperty);
    }

    /** For tests of the naming rules themselves. */
    static LabImages of(Map<String, String> environment, Map<String, String> properties) {
        return new LabImages(environment, properties::get);
    }

    /** The image name for a service, without checking that it exists. */
    public String nameOf(Service service) {
        String fromProperty = properties.apply(service.property());
        if (fromProperty != null && !fromProperty.isBlank()) {
            return fromProperty.trim();
        }
        String fromEnvironment = environment.get(service.variable);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.trim();
        }
        return service.officialImage;
    }

    /** The image for a service, checked to be usable on this machine. */
    public DockerImageName image(Service service) {
        String name = nameOf(service);
        requireUsable(service, name);
        return DockerImageName.parse(name);
    }

    public DockerImageName postgres() {
        return image(Service.POSTGRES);
    }

    public DockerImageName redis() {
        return image(Service.REDIS);
    }

    public DockerImageName haproxy() {
        return image(Service.HAPROXY);
    }

    public DockerImageName etcd() {
        return image(Service.ETCD);
    }

    /** Toxiproxy; a stand-in is declared compatible so Testcontainers' module accepts it. */
    public DockerImageName toxiproxy() {
        return image(Service.TOXIPROXY).asCompatibleSubstituteFor("ghcr.io/shopify/toxiproxy");
    }

    public DockerImageName jre() {
        return image(Service.JRE);
    }

    private void requireUsable(Service service, String name) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("No Docker engine answers, so the container tests cannot run. "
                    + "Start one (`sudo dockerd &`), or on a machine without a registry run "
                    + "`bash scripts/offline-images.sh`, which installs and starts it and builds the images.");
        }
        // A stand-in can only come from the offline script, and CI has no registry to pull from:
        // in both cases a missing image is a failure now, not a pull that hangs.
        boolean mustBeLocal = "true".equalsIgnoreCase(environment.get("CI")) || !name.equals(service.officialImage);
        if (mustBeLocal && !existsLocally(name)) {
            throw new IllegalStateException("Image " + name + " (" + service.variable + ") is not on this machine. "
                    + "Run `bash scripts/offline-images.sh` and load its env file "
                    + "(`set -a; . .lab/images.env; set +a`), or pull the official image "
                    + service.officialImage + " and unset " + service.variable + ".");
        }
    }

    private static boolean existsLocally(String name) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(name).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
