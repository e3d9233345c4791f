package catalog.db;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import catalog.RunningApi;
import catalog.cache.CacheLab;
import catalog.cache.Scrape;
import catalog.cache.WithCacheLab;
import catalog.lab.Eventually;
import catalog.report.Figures;
import catalog.report.SpecReport;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The leader's host lost, in small, the other way round from {@link BrokenReadConnectionIT}: the
 * read pool failed a read outright (no connection within its borrow timeout), so reads skip it for
 * 5 s, the rest that keeps a dead replica from costing a borrow timeout per read. But the write pool,
 * where resting reads go, has no primary either. Once the read path is back, reads must use it at
 * once, not spend the rest on 503s from the write pool (SeveralHostsIT, CI run 20: one read failed
 * so at +2.2 s on the leader's host lost).
 */
@Tag("failover")
@ExtendWith(SpecReport.class)
@ExtendWith(WithCacheLab.class)
@DisplayName("When the read pool rests while no primary answers either")
class ReadPoolRestIT {
    /** Databases.READ_POOL_REST_NANOS: how long reads skip a read pool that failed. */
    private static final Duration REST = Duration.ofSeconds(5);
    /** PoolFactory.CONNECTION_TIMEOUT_MS, with room for the answer's way back. */
    private static final Duration WRITE_POOL_BORROW = Duration.ofMillis(PoolFactory.CONNECTION_TIMEOUT_MS + 200);

    @Test
    @DisplayName("a read goes to the read pool as soon as it is back, not to the write pool that has no primary")
    void readPoolBackWithinItsRest(CacheLab lab, Figures figures) {
        try (RunningApi running = lab.startApi(s -> s.writeUrl(lab.proxiedWriteUrl()).readPoolSize(1).readConcurrency(1))) {
            ApiClient api = running.client();
            long warm = productWrittenElsewhere(lab);
            long first = productWrittenElsewhere(lab);
            long second = productWrittenElsewhere(lab);
            assertThat(api.get("/products/" + warm).status()).as("a read with both paths up").isEqualTo(200);
            lab.cutWrites();
            lab.cutReads();
            ApiResponse failed = api.get("/products/" + first);
            // The rest began when the read pool gave up, before the write pool's borrow timed out too.
            long restBegan = System.nanoTime() - WRITE_POOL_BORROW.toNanos();
            assertThat(failed.status()).as("a read with both paths cut").isEqualTo(503);

            lab.healReads();
            // HikariCP makes connections in the background, pausing longer after each refusal: wait
            // until the read pool has one again, which must be within the rest to prove anything.
            Eventually.until("the read pool has a connection again", REST,
                    () -> Scrape.sample(api, "db_pool_connections", "pool=\"read\",state=\"idle\"") >= 1);
            Duration intoTheRest = Duration.ofNanos(System.nanoTime() - restBegan);
            assertThat(intoTheRest).as("the read pool came back within its rest").isLessThan(REST);

            ApiResponse read = api.get("/products/" + second);
            assertThat(read.status()).as("a read while the write path is still cut").isEqualTo(200);
            assertThat(read.data().get("id").getAsLong()).isEqualTo(second);
            figures.record("read pool back, into its rest", intoTheRest.toNanos() / 1e9, "s");
            figures.record("read answered by the read pool with no primary", read.elapsed().toNanos() / 1e6, "ms");
        }
    }

    /** A row inserted straight into the primary: neither Redis nor the API's near copies know it. */
    private static long productWrittenElsewhere(CacheLab lab) {
        return Long.parseLong(lab.primarySql("INSERT INTO products (name, price, stock) VALUES ('Carafe', 19.00, 3) RETURNING id")
                .lines().findFirst().orElseThrow());
    }
}
