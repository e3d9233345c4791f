package catalog.db;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;

/**
 * Brings the read pool back to a replica after a failover. HAProxy's read port falls back to the
 * leader while no replica is up, and a pooled connection made then stays on the leader for its
 * whole life, even once a replica is back: HAProxy only cuts sessions of servers marked down.
 * So when a read connection turns out to be on a primary, the whole read pool is soft-evicted
 * (idle connections now, busy ones when returned) and its new connections go through HAProxy
 * again. At most once every two seconds: while no replica exists, reads stay on the leader at the
 * cost of renewing the pool every two seconds, and once a replica is back the pool follows within
 * about two seconds, whatever its size. (Retiring one connection at a time made the return take
 * about the pool size in seconds: 16 s for 16 connections.)
 *
 * <p>The role costs no round trip: PostgreSQL 14+ reports {@code in_hot_standby} to the client
 * and updates it on promotion. Older servers do not report it and are left alone.
 */
final class ReplicaReturn {
    private static final long PACE_NANOS = 2_000_000_000L;

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
            HikariPoolMXBean control = pool.getHikariPoolMXBean();
            if (control != null) { // null only before the pool has started
                control.softEvictConnections();
            }
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
