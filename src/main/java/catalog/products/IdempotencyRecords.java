package catalog.products;

import catalog.db.SqlWork;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The {@code idempotency_keys} table: each key with the fingerprint of the product it created and
 * the answer given, written in the transaction that inserts the product, so a key is stored if
 * and only if its product is (both survive a failover, or neither was committed).
 *
 * <p>Requests with one key are serialised by a transaction-scoped advisory lock on the key, taken
 * with {@code pg_try_advisory_xact_lock}: a retry that arrives while the first request is still in
 * its transaction is told so at once (409) instead of waiting on a lock held by a request the
 * client may have given up on. The lock ends with the transaction, also when the leader dies.
 */
final class IdempotencyRecords {
    /**
     * First half of the two-int advisory lock key; the two-int form is a different lock space from
     * the one-bigint lock {@link catalog.db.Schema} takes. The second half is the key's hash: two
     * keys with the same hash only cost a spurious 409 while both are in flight.
     */
    private static final int LOCK_SPACE = 7_364_032;
    private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(?, ?)";
    private static final String FIND = "SELECT fingerprint, product_id, response,"
            + " created_at > now() - make_interval(secs => ?) FROM idempotency_keys WHERE key = ?";
    private static final String FORGET = "DELETE FROM idempotency_keys WHERE key = ?";
    private static final String REMEMBER =
            "INSERT INTO idempotency_keys (key, fingerprint, product_id, response) VALUES (?, ?, ?, ?)";
    private static final String PURGE = "DELETE FROM idempotency_keys WHERE created_at <= now() - make_interval(secs => ?)";

    private final Duration ttl;

    IdempotencyRecords(Duration ttl) {
        this.ttl = ttl;
    }

    /**
     * Inside the caller's transaction: the stored answer for the key, or the product inserted by
     * {@code insert} and recorded under the key. The caller commits.
     */
    KeyedCreation create(Connection connection, IdempotencyKey key, NewProduct product, SqlWork<Product> insert)
            throws SQLException {
        if (!tryLock(connection, key)) {
            return new KeyedCreation.InProgress();
        }
        String fingerprint = product.fingerprint();
        try (PreparedStatement find = connection.prepareStatement(FIND)) {
            find.setDouble(1, ttl.toSeconds());
            find.setString(2, key.value());
            try (ResultSet row = find.executeQuery()) {
                if (row.next()) {
                    if (row.getBoolean(4)) {
                        return fingerprint.equals(row.getString(1))
                                ? new KeyedCreation.Replayed(row.getLong(2), row.getString(3))
                                : new KeyedCreation.KeyReused();
                    }
                    forget(connection, key); // expired but not purged yet: the key is free again
                }
            }
        }
        Product created = insert.apply(connection);
        try (PreparedStatement remember = connection.prepareStatement(REMEMBER)) {
            remember.setString(1, key.value());
            remember.setString(2, fingerprint);
            remember.setLong(3, created.id());
            remember.setString(4, created.toJson());
            remember.executeUpdate();
        }
        return new KeyedCreation.Created(created);
    }

    /** Deletes the keys older than the time to live; returns how many. */
    int purge(Connection connection) throws SQLException {
        try (PreparedStatement purge = connection.prepareStatement(PURGE)) {
            purge.setDouble(1, ttl.toSeconds());
            return purge.executeUpdate();
        }
    }

    private static boolean tryLock(Connection connection, IdempotencyKey key) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(TRY_LOCK)) {
            lock.setInt(1, LOCK_SPACE);
            lock.setInt(2, key.value().hashCode()); // String.hashCode is specified: every instance agrees
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    private static void forget(Connection connection, IdempotencyKey key) throws SQLException {
        try (PreparedStatement forget = connection.prepareStatement(FORGET)) {
            forget.setString(1, key.value());
            forget.executeUpdate();
        }
    }
}
