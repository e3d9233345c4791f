package catalog.lab;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.cache.CacheLab;
import catalog.cache.WithCacheLab;
import catalog.report.SpecReport;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lagging replica the lag scenarios rely on (the cache lab's) really is a replica, and really lags. */
@Tag("failover")
@ExtendWith(WithCacheLab.class)
@DisplayName("The lagging replica")
@ExtendWith(SpecReport.class)
class PostgresReplicaIT {
    @Test
    @DisplayName("a delayed replica is in recovery and shows a commit only after the apply delay")
    void delayedReplicaLags(CacheLab lab) {
        assertThat(lab.replicaSql("select pg_is_in_recovery()")).isEqualTo("t");
        String table = "lag_probe_" + System.nanoTime();   // the lab's database is shared by the run
        lab.primarySql("create table " + table + "(v int); insert into " + table + " values (1)");
        long start = System.nanoTime();
        Eventually.until(Duration.ofSeconds(20), () -> lab.replicaSql("select count(*) from pg_tables where tablename = '" + table + "'"),
                "1"::equals, "the table on the replica");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1500));
    }
}
