package catalog.products;

import catalog.db.SqlWork;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * <p>A key belongs to the client that sent it: every statement names the client, and two clients
 * may use the same key for different products.
 *
 * <p>Requests with one client's key are serialised by a transaction-scoped advisory lock, taken
 * with {@code pg_try_advisory_xact_lock}: a retry that arrives while the first request is still in
 * its transaction is told so at once (409) instead of waiting on a lock held by a request the
 * client may have given up on. The lock ends with the transaction, also when the leader dies.
 * Why an advisory lock rather than locking the record's row ({@code INSERT ... ON CONFLICT}): the
 * row can only be written once the product exists (it holds the answer), and a placeholder row
 * would need its own clean-up when the transaction's client vanishes; the advisory lock leaves
 * nothing behind. Its key is the first 64 bits of SHA-256(client, key): unlike
 * {@code String.hashCode} (where "Aa" and "BB" collide), nobody can make two keys share a lock on
 * purpose, and by chance two of n keys in flight at once share one with probability about
 * n&sup2;/2&sup6;&sup5;. A shared lock would only cost a spurious 409, never a wrong answer.
 */
final class IdempotencyRecords {
    private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(?)";
    private static final String FIND = "SELECT fingerprint, product_id, response,"
            + " created_at > now() - make_interval(secs => ?) FROM idempotency_keys WHERE client = ? AND key = ?";
    private static final String FORGET = "DELETE FROM idempotency_keys WHERE client = ? AND key = ?";
    private static final String REMEMBER =
            "INSERT INTO idempotency_keys (client, key, fingerprint, product_id, response) VALUES (?, ?, ?, ?, ?)";
    /** Rows deleted per statement: each batch is short under the write deadline, and every batch is progress. */
    static final int PURGE_BATCH = 1_000;
    private static final String PURGE_BATCH_SQL = "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys"
            + " WHERE created_at <= now() - make_interval(secs => ?) LIMIT " + PURGE_BATCH + ")";

    private final Duration ttl;

    IdempotencyRecords(Duration ttl) {
        this.ttl = ttl;
    }

    /**
     * Inside the caller's transaction: the stored answer for the key, or the product inserted by
     * {@code insert} and recorded under the key. The caller commits.
     */
    KeyedCreation create(Connection connection, String client, IdempotencyKey key, NewProduct product,
            SqlWork<Product> insert) throws SQLException {
        if (!tryLock(connection, client, key)) {
            return new KeyedCreation.InProgress();
        }
        String fingerprint = product.fingerprint();
        try (PreparedStatement find = connection.prepareStatement(FIND)) {
            find.setDouble(1, ttl.toSeconds());
            find.setString(2, client);
            find.setString(3, key.value());
            try (ResultSet row = find.executeQuery()) {
                if (row.next()) {
                    if (row.getBoolean(4)) {
                        return fingerprint.equals(row.getString(1))
                                ? new KeyedCreation.Replayed(row.getLong(2), row.getString(3))
                                : new KeyedCreation.KeyReused();
                    }
                    forget(connection, client, key); // expired but not purged yet: the key is free again
                }
            }
        }
        Product created = insert.apply(connection);
        try (PreparedStatement remember = connection.prepareStatement(REMEMBER)) {
            remember.setString(1, client);
            remember.setString(2, key.value());
            remember.setString(3, fingerprint);
            remember.setLong(4, created.id());
            remember.setString(5, created.toJson());
            remember.executeUpdate();
        }
        return new KeyedCreation.Created(created);
    }

    /**
     * Deletes at most {@link #PURGE_BATCH} keys older than the time to live; returns how many. The
     * caller repeats while a batch was full: one unbounded DELETE of a large backlog could outlast
     * the write deadline every time and never make progress.
     */
    int purgeBatch(Connection connection) throws SQLException {
        try (PreparedStatement purge = connection.prepareStatement(PURGE_BATCH_SQL)) {
            purge.setDouble(1, ttl.toSeconds());
            return purge.executeUpdate();
        }
    }

    private static boolean tryLock(Connection connection, String client, IdempotencyKey key) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(TRY_LOCK)) {
            lock.setLong(1, lockKey(client, key));
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** The first 64 bits of SHA-256(client, NUL, key): every instance computes the same lock. */
    static long lockKey(String client, IdempotencyKey key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(client.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);   // client names hold no NUL: ("a", "bc") and ("ab", "c") differ
            return ByteBuffer.wrap(sha256.digest(key.value().getBytes(StandardCharsets.UTF_8))).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void forget(Connection connection, String client, IdempotencyKey key) throws SQLException {
        try (PreparedStatement forget = connection.prepareStatement(FORGET)) {
            forget.setString(1, client);
            forget.setString(2, key.value());
            forget.executeUpdate();
        }
    }
}
