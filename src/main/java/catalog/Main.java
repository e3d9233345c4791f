package catalog;

import catalog.ops.Config;
import catalog.ops.ConfigException;
import catalog.ops.DnsCache;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * {@code java -jar products-api.jar}: reads the environment, starts the API, and on SIGTERM
 * (or Ctrl-C) stops accepting, finishes in-flight requests and closes the pools.
 */
public final class Main {
    static {
        // One line per log record (the JDK's default takes two), unless the user chose a format.
        // Set before the first logger is created: the formatter reads it once.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                    "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
    }

    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    private Main() {}

    public static void main(String[] args) throws Exception {
        DnsCache.followAddressChanges();   // before the first lookup: the JVM reads it once
        Config config;
        try {
            config = Config.fromEnvironment();
        } catch (ConfigException e) {
            System.err.println("products-api: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        ProductsApi api;
        try {
            api = ProductsApi.start(config);
        } catch (RuntimeException | java.io.IOException e) {
            // One line, as for configuration errors: the cause (port taken, database gone) is in it.
            System.err.println("products-api: cannot start: " + e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down: finishing in-flight requests");
            api.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
