package catalog.cache;

import catalog.lab.SharedLabExtension;

/** Gives a class the run's {@link CacheLab} (PostgreSQL, Redis, Toxiproxy), started once and healed between scenarios. */
public final class WithCacheLab extends SharedLabExtension<CacheLab> {
    public WithCacheLab() {
        super("cache", CacheLab.class, CacheLab::start);
    }
}
