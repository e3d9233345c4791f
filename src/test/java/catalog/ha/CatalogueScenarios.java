package catalog.ha;

import catalog.lab.Faults;
import catalog.lab.HaCluster;
import catalog.lab.ProductsLab;
import catalog.lab.WithProductsLab;
import catalog.report.SpecReport;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the failure catalogue's classes share: the run's HA lab (its extension heals it after every
 * row), the lab's verbs, rows run one at a time in their order, figures in the report. A class
 * adds rows: scenarios that each start a {@link CatalogueRun}, which the lab closes after the row.
 */
@ExtendWith(SpecReport.class)
@ExtendWith(WithProductsLab.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class CatalogueScenarios {
    /** Every row's bound for the cluster to be whole again after its repair. */
    static final Duration HEALED = Duration.ofSeconds(60);

    ProductsLab lab;
    HaCluster cluster;
    Faults faults;

    @BeforeAll
    void useLab(ProductsLab shared) {
        lab = shared;
        cluster = shared.cluster();
        faults = shared.faults();
    }
}
