package catalog.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Network;

/** The lagging replica the lag scenarios rely on really is a replica, and really lags. */
class PostgresReplicaIT {
    @Test
    @DisplayName("a delayed replica is in recovery and shows a commit only after the apply delay")
    void delayedReplicaLags() throws Exception {
        LabImages images = LabImages.fromEnvironment();
        try (Network network = Network.newNetwork();
             PostgresServer primary = new PostgresServer(images).withNetwork(network).withNetworkAliases("pg-primary");
             PostgresReplica replica = new PostgresReplica(images, network, primary, "pg-primary", Duration.ofSeconds(2))) {
            primary.start();
            replica.start();
            assertThat(replica.sql("select pg_is_in_recovery()")).isEqualTo("t");
            primary.sql("create table t(v int); insert into t values (1)");
            long start = System.nanoTime();
            while (!replica.sql("select count(*) from pg_tables where tablename = 't'").equals("1")) {
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
                Thread.sleep(50);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1500));
        }
    }
}
