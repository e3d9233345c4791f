package catalog;

import catalog.ops.Config;
import catalog.ops.JvmSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The API started in-process on a free port from environment-style settings, with a client.
 * Scenarios start it against whatever lab they built and close it at the end.
 */
public final class RunningApi implements AutoCloseable {
    private final ProductsApi api;
    private final ApiClient client;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RunningApi(ProductsApi api) {
        this.api = api;
        this.client = new ApiClient(api.baseUri());
    }

    /** Starts the API with these settings (as environment variables); PORT defaults to 0 (free port). */
    public static RunningApi start(Map<String, String> environment) {
        JvmSettings.apply();   // as Main does, before the first server: the JDK reads them once
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent("PORT", "0");
        env.putIfAbsent("SHUTDOWN_GRACE_SECONDS", "2");
        try {
            return new RunningApi(ProductsApi.start(Config.from(env)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ApiClient client() {
        return client;
    }

    public ProductsApi api() {
        return api;
    }

    @Override
    public void close() {
        // Idempotent: a test may close it early, and the lab that started it closes it again.
        if (closed.compareAndSet(false, true)) {
            api.close();
        }
    }
}
