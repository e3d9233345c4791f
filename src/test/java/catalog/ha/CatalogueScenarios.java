package catalog.ha;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.lab.Faults;
import catalog.lab.HaCluster;
import catalog.lab.PatroniNode;
import catalog.lab.ProductsLab;
import catalog.lab.WithProductsLab;
import catalog.report.Figures;
import catalog.report.OrderedScenarios;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;

/**
 * What the failure catalogue's classes share: the run's HA lab (its extension heals it after every
 * row), the lab's verbs, rows run one at a time in their order, figures in the report. A class
 * adds rows: scenarios that each start a {@link CatalogueRun}, which the lab closes after the row.
 */
@OrderedScenarios
@ExtendWith(WithProductsLab.class)
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

    /** A row whose writes must be back within the given bound of its fault, healed within {@link #HEALED}. */
    static CatalogueRow row(String fault, Duration writesBackWithin) {
        return CatalogueRow.of(fault, writesBackWithin, HEALED);
    }

    /** Starts the row's load on this class's lab: the scenario's first step. */
    CatalogueRun startRow(CatalogueRow row, Figures figures) throws SQLException {
        return CatalogueRun.start(lab, row, figures);
    }

    CatalogueRun startRow(String fault, Duration writesBackWithin, Figures figures) throws SQLException {
        return startRow(row(fault, writesBackWithin), figures);
    }

    /** The member killed (SIGKILL to its container) and started again, marked "kill" and "start". */
    Outage killed(GenericContainer<?> member) {
        return killed("kill", List.of(member));
    }

    /** The members killed together and started again, the kill marked as given. */
    Outage killed(String mark, List<? extends GenericContainer<?>> members) {
        return new Outage(mark, () -> members.forEach(faults::kill), "start", () -> members.forEach(faults::start));
    }

    /** Every process of the member stopped, then resumed, marked "freeze" and "thaw". */
    Outage frozen(GenericContainer<?> member) {
        return new Outage("freeze", () -> faults.freeze(member), "thaw", () -> faults.thaw(member));
    }

    /** The member cut from the lab network, then connected again, marked "cut" and "reconnect". */
    Outage cut(GenericContainer<?> member) {
        return new Outage("cut", () -> faults.cut(member), "reconnect", () -> faults.reconnect(member));
    }

    /** Then: the node still (or now) holds the leader key, after what the row did. */
    void assertLeads(PatroniNode node, String after) {
        assertThat(cluster.leader()).as("the leader after %s", after).isEqualTo(node);
    }
}
