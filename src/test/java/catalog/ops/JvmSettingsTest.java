package catalog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host name that moves to another address (a restarted container) is followed within seconds. Each
 * case runs a fresh JVM whose resolver reads a hosts file (jdk.net.hosts.file), so the JDK's real
 * cache decides; the same probe without the API's settings shows the JDK default keeps the old one.
 */
class JvmSettingsTest {
    @TempDir
    Path dir;

    /** Milliseconds until the probe resolved the new address, or -1 if it never did. */
    private long followedAfterMs(boolean apply, double seconds) throws IOException, InterruptedException {
        Path hosts = dir.resolve(apply ? "hosts-apply" : "hosts-default");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process probe = new ProcessBuilder(java, "-Djdk.net.hosts.file=" + hosts,
                "-cp", System.getProperty("java.class.path"), DnsFollowProbe.class.getName(),
                hosts.toString(), Double.toString(seconds), apply ? "apply" : "default")
                .redirectErrorStream(true).start();
        List<String> lines = List.of(new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        assertThat(probe.waitFor()).as(String.join("\n", lines)).isZero();
        assertThat(lines.get(0)).as("first lookup").isEqualTo("0 10.1.1.1");
        return lines.stream().filter(l -> l.endsWith(" 10.2.2.2")).mapToLong(l -> Long.parseLong(l.split(" ")[0]))
                .findFirst().orElse(-1);
    }

    @Test
    @DisplayName("a name that moves to a new address is followed within the API's TTL, not the JDK's 30 s")
    void followsMovedName() throws Exception {
        long applied = followedAfterMs(true, 4);
        long jdkDefault = followedAfterMs(false, 4);

        assertThat(applied).isBetween(1L, (JvmSettings.DNS_TTL_SECONDS + 1) * 1000L);
        assertThat(jdkDefault).as("without the setting the JDK keeps the old address past 4 s").isEqualTo(-1);
    }
}
