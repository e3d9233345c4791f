package catalog.lab;

import java.nio.file.Path;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The project's Patroni image, built from {@code docker/patroni/Dockerfile} on top of the lab's
 * PostgreSQL image (the official postgres:16 or the Debian stand-in), exactly as docker-compose
 * builds it. The image keeps its name between runs, so Docker's layer cache makes a rebuild cheap.
 */
public final class PatroniImage {
    private static final String NAME = "catalog-lab/patroni:local";

    private PatroniImage() {}

    /** Builds the image (or takes it from the layer cache) and returns its name. */
    public static String build(LabImages images) {
        Path repo = Path.of("").toAbsolutePath();
        return new ImageFromDockerfile(NAME, false)
                .withFileFromPath("docker/patroni", repo.resolve("docker/patroni"))
                .withFileFromPath("replica-init.sh", repo.resolve("replica-init.sh"))
                .withDockerfilePath("docker/patroni/Dockerfile")
                .withBuildArg("BASE_IMAGE", images.postgres().asCanonicalNameString())
                .get();
    }
}
