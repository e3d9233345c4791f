package catalog.db;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;

/**
 * Brings the read pool back to a replica after a failover. HAProxy's read port falls back to the
 * leader while no replica is up, and a pooled connection made then stays on the leader for its
 * whole life, even once a replica is back: HAProxy only cuts sessions of servers marked down.
 * So a read connection found on a primary is retired after use, and the next one goes through
 * HAProxy again. At most one per second: while no replica exists, reads stay on the leader at the
 * cost of one reconnect a second, and a pool moves back within about its size in seconds.
 *
 * <p>The role costs no round trip: PostgreSQL 14+ reports {@code in_hot_standby} to the client
 * and updates it on promotion. Older servers do not report it and are left alone.
 */
final class ReplicaReturn {
    private static final long PACE_NANOS = 1_000_000_000L;

    private final HikariDataSource pool;
    private final AtomicLong nextRetirement = new AtomicLong(System.nanoTime());

    ReplicaReturn(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Called with a borrowed read connection before it goes back to the pool. */
    void afterRead(Connection connection) {
        if (!onPrimary(connection)) {
            return;
        }
        long now = System.nanoTime();
        long next = nextRetirement.get();
        if (now - next >= 0 && nextRetirement.compareAndSet(next, now + PACE_NANOS)) {
            pool.evictConnection(connection);
        }
    }

    private static boolean onPrimary(Connection connection) {
        try {
            return "off".equals(connection.unwrap(PGConnection.class).getParameterStatus("in_hot_standby"));
        } catch (SQLException e) {
            return false;
        }
    }
}
