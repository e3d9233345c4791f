package catalog;

import catalog.ops.Config;
import catalog.ops.ConfigException;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * {@code java -jar products-api.jar}: reads the environment, starts the API, and on SIGTERM
 * (or Ctrl-C) stops accepting, finishes in-flight requests and closes the pools.
 */
public final class Main {
    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    private Main() {}

    public static void main(String[] args) throws Exception {
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
        } catch (RuntimeException e) {
            System.err.println("products-api: cannot start: " + e.getMessage());
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
