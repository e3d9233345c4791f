package catalog.lab;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.report.SpecReport;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.Network;

/** The project's Patroni image, built on the lab's PostgreSQL image, bootstraps a one-node cluster. */
@Tag("failover")
@DisplayName("The Patroni image")
@ExtendWith(SpecReport.class)
class PatroniImageSmokeIT {
    @Test
    @DisplayName("a single node bootstraps, answers /health with 200 and creates the API's database")
    void singleNodeIsHealthy() throws Exception {
        LabImages images = LabImages.fromEnvironment();
        ClusterSecrets secrets = ClusterSecrets.random();
        try (Network network = Network.newNetwork();
             EtcdServer etcd = new EtcdServer(images, network, "etcd");
             PatroniNode node = new PatroniNode(PatroniImage.build(images), network, "pg-1",
                     etcd.internalAddress(), secrets)) {
            etcd.start();
            node.start();

            assertThat(node.restStatus("/health")).isEqualTo(200);
            // /health answers once PostgreSQL runs; taking the leader lock may follow a moment later.
            Eventually.until("the single node to lead", Duration.ofSeconds(30), () -> node.hasRole(Role.PRIMARY));
            try (Connection c = node.connectAsApi();
                 ResultSet rs = c.createStatement().executeQuery(
                         "select current_database(), rolsuper from pg_roles where rolname = current_user")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("products");
                assertThat(rs.getBoolean(2)).as("the API's role is a superuser").isFalse();
            }
        }
    }
}
