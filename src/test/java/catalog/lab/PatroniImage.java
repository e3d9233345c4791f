package catalog.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The project's Patroni image, built from {@code docker/patroni/Dockerfile} on top of the lab's
 * PostgreSQL image (the official postgres:17 or the Debian stand-in), exactly as docker-compose
 * builds it. Its tag is a digest of the base image's name and of every file the build copies, so a
 * rebuild of the same files is a layer-cache hit, and checkouts sharing one engine (another branch,
 * another base) never start each other's image.
 */
public final class PatroniImage {
    private static final String REPOSITORY = "catalog-lab/patroni";

    private PatroniImage() {}

    /** Builds the image (or takes it from the layer cache) and returns its name. */
    public static String build(LabImages images) {
        Path repo = Path.of("").toAbsolutePath();
        String base = images.postgres().asCanonicalNameString();
        return new ImageFromDockerfile(REPOSITORY + ":" + digest(repo, base), false)
                .withFileFromPath("docker/patroni", repo.resolve("docker/patroni"))
                .withFileFromPath("replica-init.sh", repo.resolve("replica-init.sh"))
                .withDockerfilePath("docker/patroni/Dockerfile")
                .withBuildArg("BASE_IMAGE", base)
                .get();
    }

    /** Every file the build context holds: the whole docker/patroni folder (a new script is never forgotten) and replica-init.sh. */
    private static List<String> copiedFiles(Path repo) throws IOException {
        try (Stream<Path> folder = Files.walk(repo.resolve("docker/patroni"))) {
            List<String> files = new ArrayList<>(folder.filter(Files::isRegularFile)
                    .map(file -> repo.relativize(file).toString()).sorted().toList());
            files.add("replica-init.sh");
            return files;
        }
    }

    private static String digest(Path repo, String base) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(base.getBytes(StandardCharsets.UTF_8));
            for (String file : copiedFiles(repo)) {
                sha.update(file.getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(repo.resolve(file)));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Patroni image's files", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
