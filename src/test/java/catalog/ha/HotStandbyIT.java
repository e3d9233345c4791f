package catalog.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import catalog.lab.Eventually;
import catalog.lab.HaCluster;
import catalog.lab.PatroniNode;
import catalog.lab.ProductsLab;
import catalog.lab.WithProductsLab;
import catalog.report.Figures;
import catalog.report.SpecReport;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Replication that works (the original's replica ran as a second primary) and routing by role. */
@Tag("failover")
@DisplayName("A Patroni cluster behind HAProxy")
@ExtendWith(SpecReport.class)
@ExtendWith(WithProductsLab.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HotStandbyIT {
    private HaCluster lab;
    private WriteLedger ledger;

    @BeforeAll
    void useLab(ProductsLab shared) throws SQLException {
        lab = shared.cluster();
        ledger = new WriteLedger(lab);
    }

    @Test
    @DisplayName("the replica is a hot standby: in recovery, streaming in sync, showing a committed row")
    void replicaIsHotStandby(Figures figures) throws Exception {
        PatroniNode leader = lab.leader();
        PatroniNode replica = lab.replica();
        assertThat(lab.isInRecovery(leader)).as("leader in recovery").isFalse();
        assertThat(lab.isInRecovery(replica)).as("replica in recovery").isTrue();
        assertThat(lab.isStreaming(replica)).as("replica streaming").isTrue();
        assertThat(lab.syncState(replica)).isEqualTo("sync");

        long id = ledger.write();
        long committed = System.nanoTime();
        Eventually.until("the row on the replica", Duration.ofSeconds(5), () -> ledger.visibleOn(replica, id));
        figures.record("commit to visible on the replica", (System.nanoTime() - committed) / 1e6, "ms");
    }

    @Test
    @DisplayName("HAProxy routes by role: the write port reaches the leader, the read port the replica")
    void haproxyRoutesByRole(Figures figures) throws Exception {
        int connections = 10;
        for (int i = 0; i < connections; i++) {
            assertThat(lab.reachesRecovery(lab.writeUrl())).as("write port in recovery").isFalse();
            assertThat(lab.reachesRecovery(lab.readUrl())).as("read port in recovery").isTrue();
        }
        assertThatThrownBy(() -> ledger.write(lab.readUrl()))
                .isInstanceOf(SQLException.class)
                .hasFieldOrPropertyWithValue("SQLState", "25006");
        figures.record("new connections per port, each on the right role", connections, "");
    }
}
