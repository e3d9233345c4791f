package catalog.products;

import catalog.db.DatabaseRole;
import catalog.db.Databases;
import catalog.db.Lsn;
import catalog.db.RecentWrites;
import catalog.db.Served;
import catalog.ops.MetricSource;
import catalog.ops.PrometheusText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The products table, through prepared statements only: names with quotes or SQL in them are
 * data, never code. Reads also select {@code pg_is_in_recovery()} in the same round trip, so the
 * caller learns which role answered without a second query.
 *
 * <p>Every write records the primary's WAL position after its commit in {@link RecentWrites}; a
 * read of a product written recently uses the replica only if it has replayed that far, else the
 * primary. So a GET after a PUT never sees (nor caches) the row from before the PUT.
 */
public final class ProductRepository implements MetricSource {
    private static final String COLUMNS = "id, name, price, stock";
    private static final String INSERT =
            "INSERT INTO products (name, price, stock) VALUES (?, ?, ?) RETURNING " + COLUMNS;
    private static final String UPDATE =
            "UPDATE products SET name = ?, price = ?, stock = ?, updated_at = now() WHERE id = ? RETURNING " + COLUMNS;
    private static final String DELETE = "DELETE FROM products WHERE id = ?";
    // The one-row subquery guarantees a row even when the product is missing, so the role is always known.
    private static final String FIND =
            "SELECT r.in_recovery, p.id, p.name, p.price, p.stock"
            + " FROM (SELECT pg_is_in_recovery() AS in_recovery) r"
            + " LEFT JOIN products p ON p.id = ?";
    private static final String PAGE =
            "SELECT r.in_recovery, p.id, p.name, p.price, p.stock"
            + " FROM (SELECT pg_is_in_recovery() AS in_recovery) r"
            + " LEFT JOIN LATERAL (SELECT " + COLUMNS + " FROM products WHERE id > ? ORDER BY id LIMIT ?) p ON true"
            + " ORDER BY p.id";

    // After the commit, on the same connection: the insert position is past the commit record even
    // with synchronous_commit off, where the write position may not be yet.
    private static final String WAL_POSITION = "SELECT pg_current_wal_insert_lsn()::text";
    // On a primary (the read port's fallback) there is nothing to wait for.
    private static final String REPLAYED = "SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= ?::pg_lsn";

    private final Databases databases;
    private final RecentWrites recentWrites;
    private final IdempotencyRecords keys;
    private final LongAdder reads = new LongAdder();
    private final LongAdder fencedOnReplica = new LongAdder();
    private final LongAdder fencedOnPrimary = new LongAdder();

    public ProductRepository(Databases databases, RecentWrites recentWrites, Duration idempotencyKeyTtl) {
        this.databases = databases;
        this.recentWrites = recentWrites;
        this.keys = new IdempotencyRecords(idempotencyKeyTtl);
    }

    public Product insert(NewProduct product) {
        return databases.write(connection -> {
            Product created = insertRow(connection, product);
            fence(connection, created.id());
            return created;
        });
    }

    /**
     * Inserts the product and records it under the key in one transaction, unless the key was
     * used before (the stored answer, or a refusal) or is held by a request still running.
     */
    public KeyedCreation insertOnce(String client, IdempotencyKey key, NewProduct product) {
        return databases.write(connection -> {
            connection.setAutoCommit(false);
            KeyedCreation outcome;
            try {
                outcome = keys.create(connection, client, key, product, c -> insertRow(c, product));
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
            connection.setAutoCommit(true);
            if (outcome instanceof KeyedCreation.Created created) {
                fence(connection, created.product().id());
            }
            return outcome;
        });
    }

    /**
     * Deletes idempotency keys past their time to live, batch after batch, each in its own
     * statement under the write deadline; returns how many.
     */
    public int purgeExpiredKeys() {
        int purged = 0;
        int batch;
        do {
            batch = databases.write(keys::purgeBatch);
            purged += batch;
        } while (batch == IdempotencyRecords.PURGE_BATCH && !Thread.currentThread().isInterrupted());
        return purged;
    }

    public Optional<Product> update(long id, NewProduct product) {
        return databases.write(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(UPDATE)) {
                bind(statement, product);
                statement.setLong(4, id);
                Optional<Product> updated;
                try (ResultSet rows = statement.executeQuery()) {
                    updated = rows.next() ? Optional.of(product(rows, 1)) : Optional.empty();
                }
                if (updated.isPresent()) {
                    fence(connection, id);
                }
                return updated;
            }
        });
    }

    public boolean delete(long id) {
        return databases.write(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
                statement.setLong(1, id);
                boolean deleted = statement.executeUpdate() > 0;
                if (deleted) {
                    fence(connection, id);
                }
                return deleted;
            }
        });
    }

    /** The product as of this instance's last write of it, from the replica when it has caught up. */
    public Served<Optional<Product>> findById(long id) {
        return findById(id, null);
    }

    /**
     * The same, also not older than {@code writtenAt} (a write by any instance, from the cache's
     * marker; null when none).
     */
    public Served<Optional<Product>> findById(long id, String writtenAt) {
        reads.increment();
        Optional<String> fence = Optional.ofNullable(Lsn.later(recentWrites.fenceFor(id).orElse(null), writtenAt));
        if (fence.isEmpty()) {
            return databases.read(connection -> find(connection, id));
        }
        Served<Optional<Product>> caughtUp = databases.read(connection ->
                replayed(connection, fence.get()) ? find(connection, id) : null);
        // Only a replica's answer lifts the fence: the read pool may have fallen back to the primary.
        if (caughtUp != null && caughtUp.role() == DatabaseRole.REPLICA) {
            fencedOnReplica.increment();
            recentWrites.replayed(id, fence.get());
            return caughtUp;
        }
        fencedOnPrimary.increment();
        return caughtUp != null ? caughtUp : databases.readFromPrimary(connection -> find(connection, id));
    }

    /** The WAL position after this instance's latest write of the product, if still remembered. */
    public String lastWrite(long id) {
        return recentWrites.fenceFor(id).orElse(null);
    }

    /** Database reads of single products, for /metrics and the stampede scenario. */
    public long reads() {
        return reads.sum();
    }

    @Override
    public void writeTo(PrometheusText out) {
        out.family("db_product_reads_total", "counter", "Reads of one product from the database (cache misses).");
        out.sample("db_product_reads_total", reads.sum());
        out.family("db_fenced_reads_total", "counter",
                "Reads of a product written recently, by where they went: replica (had replayed) or primary.");
        out.sample("db_fenced_reads_total", fencedOnReplica.sum(), "served_by", "replica");
        out.sample("db_fenced_reads_total", fencedOnPrimary.sum(), "served_by", "primary");
    }

    private static Served<Optional<Product>> find(Connection connection, long id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(FIND)) {
            statement.setLong(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                DatabaseRole role = DatabaseRole.ofRecovery(rows.getBoolean(1));
                rows.getLong(2);
                return new Served<>(rows.wasNull() ? Optional.empty() : Optional.of(product(rows, 2)), role);
            }
        }
    }

    // A separate statement before the row's: under READ COMMITTED the row's snapshot is taken after
    // this check, so it includes everything replayed up to the LSN. (One statement would take its
    // snapshot first and could pair an old row with a newer replay position.)
    private static boolean replayed(Connection connection, String lsn) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(REPLAYED)) {
            statement.setString(1, lsn);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private void fence(Connection connection, long id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(WAL_POSITION);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            recentWrites.wrote(id, rows.getString(1));
        }
    }

    /** The highest id of a product now (0 when there is none): a backward scan of the primary key's index. */
    public long highestId() {
        return databases.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT coalesce(max(id), 0) FROM products");
                 ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    /** Products with id greater than {@code after}, in id order (keyset pagination). */
    public Served<List<Product>> page(long after, int limit) {
        return databases.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(PAGE)) {
                statement.setLong(1, after);
                statement.setInt(2, limit);
                try (ResultSet rows = statement.executeQuery()) {
                    List<Product> products = new ArrayList<>(limit);
                    DatabaseRole role = DatabaseRole.PRIMARY;
                    while (rows.next()) {
                        role = DatabaseRole.ofRecovery(rows.getBoolean(1));
                        rows.getLong(2);
                        if (!rows.wasNull()) {
                            products.add(product(rows, 2));
                        }
                    }
                    return new Served<>(products, role);
                }
            }
        });
    }

    private static Product insertRow(Connection connection, NewProduct product) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            bind(statement, product);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return product(rows, 1);
            }
        }
    }

    // The connection may be the reason for the failure (a failover): the original error is the one to report.
    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void bind(PreparedStatement statement, NewProduct product) throws SQLException {
        statement.setString(1, product.name());
        statement.setBigDecimal(2, product.price());
        statement.setInt(3, product.stock());
    }

    private static Product product(ResultSet rows, int first) throws SQLException {
        return new Product(rows.getLong(first), rows.getString(first + 1), rows.getBigDecimal(first + 2),
                rows.getInt(first + 3));
    }
}
