package catalog;

import catalog.ops.Config;
import catalog.ops.JvmSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The API started in-process on a free port from its settings, with a client. The shared labs
 * start it ({@code lab.startApi(...)}) and their extension closes it after the scenario or class.
 */
public final class RunningApi implements AutoCloseable {
    private final ProductsApi api;
    private final ApiClient client;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RunningApi(ProductsApi api) {
        this.api = api;
        this.client = new ApiClient(api.baseUri());
    }

    /** Starts the API with these settings; PORT defaults to 0 (a free port), the shutdown grace to 2 s. */
    public static RunningApi start(ApiSettings settings) {
        JvmSettings.apply();   // as Main does, before the first server: the JDK reads them once
        Map<String, String> env = new HashMap<>(settings.environment());
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
        // Idempotent: a scenario may close it early, and the extension closes it again.
        if (closed.compareAndSet(false, true)) {
            api.close();
        }
    }
}
