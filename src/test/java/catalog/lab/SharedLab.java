package catalog.lab;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A lab that many test classes share: started once per run and kept in JUnit's root store (which
 * closes it when the run ends; Ryuk is off, so nothing else would), made whole again before every
 * class and scenario instead of being started anew.
 */
public interface SharedLab extends ExtensionContext.Store.CloseableResource {
    /** Undoes what the last scenario broke (thaw, reconnect, start, remove toxics) and waits until whole. */
    void heal();

    /** The API instances started on this lab, which the extension closes after the scenario or class that started them. */
    ApiInstances apis();
}
