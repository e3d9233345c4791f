package catalog;

import catalog.lab.SharedLabExtension;

/** Gives a class the run's {@link StandaloneStack} (PostgreSQL + Redis), started once and healed between scenarios. */
public final class WithStandaloneStack extends SharedLabExtension<StandaloneStack> {
    public WithStandaloneStack() {
        super("standalone", StandaloneStack.class, StandaloneStack::start);
    }
}
