package catalog.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * What scenarios start on a shared lab beside it (API instances in-process or in containers), in
 * order. A mark taken before a class or a scenario lets the extension close exactly what that
 * class or scenario started.
 */
public final class ApiInstances {
    private final List<AutoCloseable> started = new ArrayList<>();

    public synchronized <T extends AutoCloseable> T add(T instance) {
        started.add(instance);
        return instance;
    }

    public synchronized int mark() {
        return started.size();
    }

    /** Closes what was started since {@code mark}, newest first; {@code closeSince(0)} closes all. */
    public synchronized void closeSince(int mark) {
        while (started.size() > mark) {
            try {
                started.remove(started.size() - 1).close();
            } catch (Exception e) {
                throw new IllegalStateException("could not close an instance started on the lab", e);
            }
        }
    }
}
