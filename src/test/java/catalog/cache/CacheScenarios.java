package catalog.cache;

import catalog.report.SpecReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the cache scenarios on the run's {@link CacheLab} share: the lab (its extension heals it
 * between scenarios) and the report's figures. One instance per class, so a class's own
 * {@code @BeforeAll} (run after this one) may start the API its scenarios share.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SpecReport.class)
@ExtendWith(WithCacheLab.class)
abstract class CacheScenarios {
    CacheLab lab;

    @BeforeAll
    void useLab(CacheLab shared) {
        lab = shared;
    }
}
