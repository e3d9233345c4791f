package catalog.ha;

import catalog.lab.PatroniNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Asks every node, every 0.5 s, whether it would acknowledge a write right now: a direct connection
 * per node (not through HAProxy), {@code pg_is_in_recovery()}, and on a primary a probe INSERT
 * committed at the API's commit level (the server's {@code synchronous_commit}, which the API does
 * not change). Two nodes acknowledging in the same half second is split brain.
 *
 * <p>Every wait is short (socket timeout 2 s), so a frozen or cut-off node costs its own sampler a
 * sample, never the others. A commit counts as acknowledged only when COMMIT returned without a
 * warning: PostgreSQL answers a commit whose wait for the synchronous standby was cancelled with
 * success plus a WARNING ("committed locally, but might not have been replicated"), which no
 * client should take for a durable write. A timeout is no acknowledgement either.
 */
final class SyncCommitSampler implements AutoCloseable {
    static final long SLOT_MILLIS = 500;
    private static final int SOCKET_TIMEOUT_SECONDS = 2;

    /**
     * One probe of one node; {@code primary} is null when the node did not answer, {@code probeId}
     * is the id of the row an acknowledged commit wrote (0 otherwise).
     */
    record Sample(String node, long startMillis, long endMillis, Boolean primary, long probeId, String error) {
        boolean acknowledged() {
            return probeId > 0;
        }

        long slot() {
            return endMillis / SLOT_MILLIS;
        }
    }

    private final LongSupplier clock;
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private volatile String commitLevel = "?";
    private volatile boolean running = true;

    SyncCommitSampler(List<PatroniNode> nodes, LongSupplier clock) {
        this.clock = clock;
        for (PatroniNode node : nodes) {
            Thread thread = new Thread(() -> sample(node), "sync-commit-" + node.name());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** The probe table, created through the leader before sampling starts. */
    static void createTable(Connection leader) throws SQLException {
        try (Statement s = leader.createStatement()) {
            s.execute("create table if not exists sync_commit_probe"
                    + " (id bigserial primary key, node text not null, at timestamptz not null default now())");
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** synchronous_commit as the API's role sees it on the nodes ("on": wait for the sync standby's flush). */
    String commitLevel() {
        return commitLevel;
    }

    private void sample(PatroniNode node) {
        Connection connection = null;
        while (running) {
            long now = clock.getAsLong();
            sleep(SLOT_MILLIS - now % SLOT_MILLIS);
            long start = clock.getAsLong();
            Boolean primary = null;
            try {
                if (connection == null) {
                    connection = node.connectAsApi(SOCKET_TIMEOUT_SECONDS);
                }
                primary = !inRecovery(connection);
                long probeId = primary ? commitProbe(connection, node.name()) : 0;
                samples.add(new Sample(node.name(), start, clock.getAsLong(), primary, probeId, null));
            } catch (SQLException | RuntimeException e) {
                samples.add(new Sample(node.name(), start, clock.getAsLong(), primary, 0, e.toString()));
                close(connection);
                connection = null;
            }
        }
        close(connection);
    }

    private boolean inRecovery(Connection c) throws SQLException {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pg_is_in_recovery(), current_setting('synchronous_commit')")) {
            rs.next();
            commitLevel = rs.getString(2);
            return rs.getBoolean(1);
        }
    }

    /** Commits one probe row; its id when COMMIT returned cleanly, 0 when it came with a warning. */
    private static long commitProbe(Connection c, String node) throws SQLException {
        c.setAutoCommit(false);
        long id;
        try (PreparedStatement insert = c.prepareStatement("insert into sync_commit_probe (node) values (?) returning id")) {
            insert.setString(1, node);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        c.clearWarnings();
        c.commit();
        return c.getWarnings() == null ? id : 0;
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // the node is unreachable; the connection is gone either way
            }
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(Math.max(1, millis));
        } catch (InterruptedException e) {
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
