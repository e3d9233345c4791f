package catalog.lab;

import catalog.ApiSettings;
import catalog.RunningApi;
import java.util.function.UnaryOperator;

/**
 * A lab that many test classes share: started once per run and kept in JUnit's root store, which
 * closes it when the run ends (Ryuk is off, so nothing else would; JUnit 5.13+ closes AutoCloseable
 * values, CloseableResource being deprecated); made whole again between classes and scenarios
 * instead of being started anew.
 */
public interface SharedLab extends AutoCloseable {
    /** Undoes what the last scenario broke (thaw, reconnect, start, remove toxics) and waits until whole. */
    void heal();

    /** What was started on this lab, which the extension closes after the scenario or class that started it. */
    ApiInstances apis();

    /** The settings of an API started in-process on the host against this lab. */
    ApiSettings apiSettings();

    default RunningApi startApi() {
        return startApi(UnaryOperator.identity());
    }

    /** Starts an API in-process with this lab's settings, refined by {@code overrides}; closed by the extension. */
    default RunningApi startApi(UnaryOperator<ApiSettings> overrides) {
        return apis().add(RunningApi.start(overrides.apply(apiSettings())));
    }

    /** Stops every member; called once, when the run ends. */
    @Override
    void close();
}
