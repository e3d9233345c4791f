package catalog.db;

import catalog.admission.Bulkhead;
import catalog.deadline.DeadlineTimer;
import catalog.ops.Config;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The two pools: writes go to the write URL (the primary through HAProxy), reads to the read URL
 * (a replica). A read whose connection broke under it is tried once more on the read pool (the
 * path died, not necessarily the replicas); a read the read pool cannot serve is tried on the write
 * pool, so reads survive a replica outage, and reads then skip the read pool for a few seconds, so
 * a dead replica costs one borrow timeout, not one per request. That rest holds only while the
 * write pool serves: when it too had no server in the last few seconds (a leader being replaced),
 * reads try the read pool first again, the one a lost leader does not take down. When both URLs
 * are the same there is one pool.
 *
 * <p>A connection that breaks under a statement (a HAProxy or PostgreSQL that went away) renews
 * both pools: their resting connections are closed, the busy ones on return. The others opened
 * along the same path are most likely dead too (both pools go through the same proxies), and
 * HikariCP hands out a connection used in the last 500 ms without checking it, so under load the
 * read's retry would otherwise meet a dead sibling. New connections go to a proxy that answers.
 *
 * <p>Reads run under a {@link Bulkhead} smaller than the number of HTTP workers, so a stalled read
 * path leaves workers to cache hits; writes run in their own lane of threads (see
 * {@code catalog.admission.Lane}), so a stalled write path holds none of the request workers.
 */
public final class Databases implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Databases.class.getName());

    private static final long READ_POOL_REST_NANOS = 5_000_000_000L;
    /** A write pool that had no server this recently is no place to send reads ahead of the read pool. */
    private static final long WRITE_POOL_FAILURE_MEMORY_NANOS = 5_000_000_000L;
    /** At most one renewal of the pools per this interval: a failover breaks many connections at once. */
    private static final long RENEWAL_INTERVAL_NANOS = 1_000_000_000L;

    private final HikariDataSource write;
    private final HikariDataSource read;
    private final ReplicaReturn replicaReturn;
    private final Bulkhead reads;
    private final DeadlineTimer deadlines;
    private final long writeDeadlineNanos;
    private volatile long readPoolRestingUntil = System.nanoTime();
    private volatile long writePoolFailedAt = System.nanoTime() - WRITE_POOL_FAILURE_MEMORY_NANOS;
    private final AtomicLong nextRenewalAt = new AtomicLong(System.nanoTime());

    private Databases(HikariDataSource write, HikariDataSource read, Bulkhead reads, Duration writeDeadline) {
        this.write = write;
        this.read = read;
        this.replicaReturn = new ReplicaReturn(read);
        this.reads = reads;
        this.writeDeadlineNanos = writeDeadline.toNanos();
        this.deadlines = DeadlineTimer.forTimeout(writeDeadline.toMillis(), "db-write-deadlines");
    }

    /** Opens the pools (one when reads share the write URL); reads run under {@code reads}. */
    public static Databases open(Config.Database settings, Bulkhead reads) {
        HikariDataSource write = PoolFactory.open("write", settings.write(), settings.login(), PoolFactory.ServerWaits.WRITES);
        HikariDataSource read = settings.separateReadPool()
                ? PoolFactory.open("read", settings.read(), settings.login(), PoolFactory.ServerWaits.READS) : write;
        return new Databases(write, read, reads, settings.writeDeadline());
    }

    /** Throws {@link DatabaseUnavailableException} when the database fails or the write overruns its deadline. */
    public <T> T write(SqlWork<T> work) {
        try {
            return runWithinDeadline(work);
        } catch (SQLException e) {
            failedOnWritePool(e);
            throw translate("write", e);
        }
    }

    /**
     * The borrow is bounded by the pool's own timeout (no socket yet to close); from then on the
     * deadline timer aborts the connection at the deadline. A write whose connection was aborted after its
     * commit was sent may have committed: like a socket timeout, a 503 then means "unknown".
     */
    private <T> T runWithinDeadline(SqlWork<T> work) throws SQLException {
        DeadlineTimer.Watch watch = deadlines.arm(writeDeadlineNanos);
        Connection connection = null;
        boolean disarmed = false;
        try {
            connection = write.getConnection();
            Connection borrowed = connection;
            watch.guard(() -> abort(borrowed));
            T result = work.apply(connection);
            disarmed = true;
            if (watch.disarm()) {
                write.evictConnection(connection);   // finished, but aborted at the wire: not reusable
                connection = null;
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            if (!disarmed) {
                disarmed = true;
                if (watch.disarm()) {
                    if (connection != null) {
                        write.evictConnection(connection);
                        connection = null;
                    }
                    throw new SQLTransientConnectionException("the write did not finish within its deadline of "
                            + TimeUnit.NANOSECONDS.toMillis(writeDeadlineNanos) + " ms", SqlFailures.DEADLINE_OVERRUN, e);
                }
            }
            throw e;
        } finally {
            if (!disarmed) {
                watch.disarm();
            }
            if (connection != null) {
                connection.close();
            }
        }
    }

    private static void abort(Connection connection) {
        try {
            connection.abort(Runnable::run);   // pgjdbc closes the socket; the blocked statement fails at once
        } catch (SQLException e) {
            LOG.log(Level.FINE, "could not abort an overdue write's connection", e);
        }
    }

    /** A read on the read pool, retried once on the write pool if it fails. */
    public <T> T read(SqlWork<T> work) {
        try (Bulkhead.Permit permit = reads.enter()) {
            return readUnderPermit(work);
        }
    }

    private <T> T readUnderPermit(SqlWork<T> work) {
        if (read == write || readPoolResting()) {
            return readPrimary(work);
        }
        SQLException failure;
        try {
            return runRead(work);
        } catch (SQLException first) {
            renewPoolsIfBroken(first);
            failure = first;
        }
        if (SqlFailures.isBrokenConnection(failure)) {
            // The connection died under the statement: the path it took went away (a HAProxy, a host),
            // not necessarily every replica, and the pools were just renewed. A new read connection
            // goes through a proxy that answers, while the write pool may have no leader at all (the
            // leader's host lost: SeveralHostsIT, reads failed when this retry went there).
            try {
                return runRead(work);
            } catch (SQLException again) {
                renewPoolsIfBroken(again);
                again.addSuppressed(failure);
                failure = again;
            }
        }
        if (SqlFailures.isUnavailable(failure)) {
            // Each attempt on a dead read pool costs the borrow timeout; stop paying it for a while.
            readPoolRestingUntil = System.nanoTime() + READ_POOL_REST_NANOS;
            LOG.log(Level.WARNING, "read pool unavailable (" + failure.getSQLState()
                    + "); reads go to the write pool for the next " + READ_POOL_REST_NANOS / 1_000_000 + " ms");
        }
        try {
            return run(write, work);
        } catch (SQLException last) {
            failedOnWritePool(last);
            last.addSuppressed(failure);
            throw translate("read", last);
        }
    }

    /**
     * Whether reads skip the read pool now. Not while the write pool fails too: with the leader's
     * host lost, a read pool that failed once (its connections through that host broke) rested, and
     * resting reads went to a write pool with no leader while the read pool, renewed within a second,
     * had the replica to offer (SeveralHostsIT, CI run 20: a read answered 503 after 4 s, two 2 s
     * borrow timeouts, the width of two reads on the write pool). A read the read pool cannot serve
     * still goes on to the write pool: its failure may have been a moment's (a leader's check that
     * timed out once cuts its sessions, and it is back 0.5 s later), and failing such reads at once
     * failed one in the catalogue's "replica killed" row.
     */
    private boolean readPoolResting() {
        long now = System.nanoTime();
        return now - readPoolRestingUntil < 0 && !writePoolFailedRecently(now);
    }

    private boolean writePoolFailedRecently(long now) {
        return now - writePoolFailedAt < WRITE_POOL_FAILURE_MEMORY_NANOS;
    }

    /**
     * Remembers when the write pool last had no server to offer. A write that overran its deadline
     * does not count: the primary is there, only slow (a synchronous standby lost, writes wait for
     * Patroni to drop it), and while the read pool rests reads still belong on it.
     */
    private void failedOnWritePool(SQLException e) {
        if (SqlFailures.isNoServer(e)) {
            writePoolFailedAt = System.nanoTime();
        }
        renewPoolsIfBroken(e);
    }

    /**
     * A read on the write pool: for reads that must see the latest committed write (a replica may
     * not have replayed it yet).
     */
    public <T> T readFromPrimary(SqlWork<T> work) {
        try (Bulkhead.Permit permit = reads.enter()) {
            return readPrimary(work);
        }
    }

    private <T> T readPrimary(SqlWork<T> work) {
        try {
            return run(write, work);
        } catch (SQLException e) {
            failedOnWritePool(e);
            throw translate("read", e);
        }
    }

    private void renewPoolsIfBroken(SQLException e) {
        long now = System.nanoTime();
        long due = nextRenewalAt.get();
        if (!SqlFailures.isBrokenConnection(e) || now - due < 0
                || !nextRenewalAt.compareAndSet(due, now + RENEWAL_INTERVAL_NANOS)) {
            return;
        }
        LOG.log(Level.WARNING, "a database connection broke (" + e.getSQLState() + "); renewing the pools' connections");
        softEvict(write);
        if (read != write) {
            softEvict(read);
        }
    }

    private static void softEvict(HikariDataSource pool) {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean != null) {
            bean.softEvictConnections();
        }
    }

    /** Runs work on the write pool without translating failures (health checks report them). */
    public <T> T probeWrite(SqlWork<T> work) throws SQLException {
        return run(write, work);
    }

    /** Runs work on the read pool only, no fallback (health checks report each side). */
    public <T> T probeRead(SqlWork<T> work) throws SQLException {
        return run(read, work);
    }

    public boolean separateReadPool() {
        return read != write;
    }

    private <T> T runRead(SqlWork<T> work) throws SQLException {
        try (Connection connection = read.getConnection()) {
            T result = work.apply(connection);
            // With one pool for both (no DB_READ_URL) every read is on a primary by design: leave it.
            if (separateReadPool()) {
                replicaReturn.afterRead(connection);
            }
            return result;
        }
    }

    private static <T> T run(HikariDataSource pool, SqlWork<T> work) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            return work.apply(connection);
        }
    }

    private static RuntimeException translate(String what, SQLException e) {
        if (SqlFailures.isUnavailable(e)) {
            return new DatabaseUnavailableException("the database is unavailable for a " + what
                    + " (" + e.getSQLState() + ")", e);
        }
        return new IllegalStateException("database " + what + " failed: " + e.getSQLState(), e);
    }

    /** Hands the read slots and each pool's connections to {@code metrics} (read when /metrics is asked). */
    public void reportTo(DatabaseMetrics metrics) {
        metrics.readSlots(reads.inUse(), reads.settings().permits());
        report(metrics, write);
        if (read != write) {
            report(metrics, read);
        }
    }

    private static void report(DatabaseMetrics metrics, HikariDataSource pool) {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean == null) {
            return;   // not started yet, or closed
        }
        metrics.pool(pool.getPoolName(), new DatabaseMetrics.Connections(bean.getActiveConnections(),
                bean.getIdleConnections(), bean.getTotalConnections(), bean.getThreadsAwaitingConnection()),
                pool.getMaximumPoolSize());
    }

    @Override
    public void close() {
        deadlines.close();
        if (read != write) {
            read.close();
        }
        write.close();
    }
}
