package catalog.ops;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in its own JVM by {@link JvmSettingsTest} (the JVM reads its DNS cache policy once): resolves a
 * name from a hosts file, moves the name to another address, and prints what the JVM resolves
 * every 250 ms for {@code args[1]} seconds. {@code args[2]} "apply" applies the API's DNS settings first.
 */
public final class DnsFollowProbe {
    private DnsFollowProbe() {}

    public static void main(String[] args) throws Exception {
        Path hosts = Path.of(args[0]);
        if ("apply".equals(args[2])) {
            JvmSettings.apply();
        }
        Files.writeString(hosts, "10.1.1.1 redis.lab\n");
        System.out.println("0 " + InetAddress.getByName("redis.lab").getHostAddress());
        Files.writeString(hosts, "10.2.2.2 redis.lab\n");   // the container came back elsewhere
        long start = System.nanoTime();
        long end = start + (long) (Double.parseDouble(args[1]) * 1e9);
        while (System.nanoTime() < end) {
            Thread.sleep(250);
            System.out.println((System.nanoTime() - start) / 1_000_000 + " "
                    + InetAddress.getByName("redis.lab").getHostAddress());
        }
    }
}
