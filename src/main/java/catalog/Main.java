package catalog;

import catalog.ops.Config;
import catalog.ops.ConfigException;
import catalog.ops.JvmSettings;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * {@code java -jar products-api.jar}: reads the environment, starts the API, and on SIGTERM
 * (or Ctrl-C) stops accepting, finishes in-flight requests and closes the pools.
 */
public final class Main {
    /** How the process ends when it cannot serve: 2 says fix the environment, 1 look at what the API needs (port, database). */
    enum ExitCode {
        /** The API could not start with a valid configuration: port taken, database unreachable. */
        CANNOT_START(1),
        /** A setting is missing or invalid; the message names it. */
        CONFIG_INVALID(2);

        final int status;

        ExitCode(int status) {
            this.status = status;
        }
    }

    private Main() {}

    public static void main(String[] args) throws Exception {
        JvmSettings.apply();   // first: the JDK reads them once (logging, DNS, the HTTP server)
        Logger log = Logger.getLogger(Main.class.getName());
        Config config;
        try {
            config = Config.fromEnvironment();
        } catch (ConfigException e) {
            System.err.println("products-api: invalid configuration: " + e.getMessage());
            System.exit(ExitCode.CONFIG_INVALID.status);
            return;
        }
        ProductsApi api;
        try {
            api = ProductsApi.start(config);
        } catch (RuntimeException | java.io.IOException e) {
            // One line, as for configuration errors: the cause (port taken, database gone) is in it.
            System.err.println("products-api: cannot start: " + e);
            System.exit(ExitCode.CANNOT_START.status);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down: finishing in-flight requests");
            api.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
