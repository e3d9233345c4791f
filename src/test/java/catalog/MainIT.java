package catalog;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient.ApiResponse;
import catalog.lab.Eventually;
import catalog.lab.FreePort;
import catalog.report.Figures;
import catalog.report.SpecReport;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The runnable jar as a user starts it: {@code java -jar target/products-api.jar} with environment variables. */
@Tag("api")
@ExtendWith(SpecReport.class)
@ExtendWith(WithStandaloneStack.class)
@DisplayName("java -jar products-api.jar")
class MainIT {
    private static final Path JAR = Path.of("target", "products-api.jar");

    @Test
    @DisplayName("an invalid setting stops start-up with one line naming the variable, exit code non-zero")
    void invalidSettingStopsStartUp() throws Exception {
        Process process = start(Map.of("PORT", "abc", "DB_PASSWORD", "x"));

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isNotZero();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(stderr.lines()).hasSize(1);
        assertThat(stderr).contains("PORT must be an integer from 0 to 65535 (got \"abc\")");
    }

    @Test
    @DisplayName("serves the API from the environment's PostgreSQL and Redis, and stops gracefully on SIGTERM")
    void servesAndStopsOnSigterm(StandaloneStack stack, Figures figures) throws Exception {
        int port = FreePort.pick();
        Process process = start(stack.apiSettings().port(port).environment());
        try {
            ApiClient api = new ApiClient(URI.create("http://localhost:" + port));
            long startedAt = System.nanoTime();
            Eventually.until(Duration.ofSeconds(60), () -> api.get("/health").status(), s -> s == 200, "the jar answering /health");
            figures.record("start-up until /health is 200", (System.nanoTime() - startedAt) / 1e9, "s");

            long id = api.create("Depuis le jar", "7.77", 7);
            ApiResponse read = api.get("/products/" + id);
            assertThat(read.data().get("name").getAsString()).isEqualTo("Depuis le jar");

            long stopAt = System.nanoTime();
            process.destroy();   // SIGTERM
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            figures.record("SIGTERM to exit", (System.nanoTime() - stopAt) / 1e9, "s");
        } finally {
            process.destroyForcibly();   // a process is not a lab resource: closed here, whatever happened
        }
    }

    private static Process start(Map<String, String> env) throws IOException {
        assertThat(JAR).as("the shaded jar (built by mvn package)").exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString());
        builder.environment().keySet().removeIf(name -> name.startsWith("DB_") || name.startsWith("REDIS_")
                || name.equals("PORT"));
        builder.environment().putAll(env);
        File log = Files.createTempFile("products-api", ".out").toFile();
        builder.redirectOutput(log);
        return builder.start();
    }
}
