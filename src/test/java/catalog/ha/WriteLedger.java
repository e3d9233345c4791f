package catalog.ha;

import catalog.lab.Eventually;
import catalog.lab.HaCluster;
import catalog.lab.PatroniNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * A table of numbered rows the database-level scenarios write through HAProxy and look for
 * afterwards: a write counts as acknowledged when its COMMIT returned.
 */
final class WriteLedger {
    private final HaCluster cluster;

    WriteLedger(HaCluster cluster) throws SQLException {
        this.cluster = cluster;
        try (Connection c = cluster.connect(cluster.writeUrl()); Statement s = c.createStatement()) {
            s.execute("create table if not exists ha_ledger (id bigserial primary key, written_at timestamptz not null default now())");
        }
    }

    /** Writes one row through the given HAProxy port on a new connection and returns its id. */
    long write(String url) throws SQLException {
        try (Connection c = cluster.connect(url);
             ResultSet rs = c.createStatement().executeQuery("insert into ha_ledger default values returning id")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Writes one row through the write port. */
    long write() throws SQLException {
        return write(cluster.writeUrl());
    }

    /** Reads through the given URL on a new connection; returns whether a replica served it. */
    boolean read(String url) throws SQLException {
        try (Connection c = cluster.connect(url);
             ResultSet rs = c.createStatement().executeQuery("select pg_is_in_recovery() from ha_ledger limit 1")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** Whether the row is visible on this node, read on a direct connection. */
    boolean visibleOn(PatroniNode node, long id) throws SQLException {
        try (Connection c = node.connectAsApi();
             PreparedStatement s = c.prepareStatement("select 1 from ha_ledger where id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Writes one row through the write port, retrying until HAProxy has found the leader. */
    long writeWithin(Duration within) throws InterruptedException {
        long[] id = new long[1];
        Eventually.until("a write through HAProxy", within, () -> {
            id[0] = write();
            return true;
        });
        return id[0];
    }

    /** Whether the row is visible through the given URL. */
    boolean contains(String url, long id) throws SQLException {
        return !present(url, Set.of(id)).isEmpty();
    }

    /** The ids among {@code ids} that are in the table, read through the given URL. */
    Set<Long> present(String url, Collection<Long> ids) throws SQLException {
        try (Connection c = cluster.connect(url);
             PreparedStatement s = c.prepareStatement("select id from ha_ledger where id = any(?)")) {
            s.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            Set<Long> found = new HashSet<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getLong(1));
                }
            }
            return found;
        }
    }
}
