package catalog.products;

import catalog.db.DatabaseRole;
import catalog.db.Databases;
import catalog.db.Served;
import catalog.db.SqlWork;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The products table, through prepared statements only: names with quotes or SQL in them are
 * data, never code. Reads also select {@code pg_is_in_recovery()} in the same round trip, so the
 * caller learns which role answered without a second query.
 */
public final class ProductRepository {
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

    private final Databases databases;

    public ProductRepository(Databases databases) {
        this.databases = databases;
    }

    public Product insert(NewProduct product) {
        return databases.write(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
                bind(statement, product);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return product(rows, 1);
                }
            }
        });
    }

    public Optional<Product> update(long id, NewProduct product) {
        return databases.write(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(UPDATE)) {
                bind(statement, product);
                statement.setLong(4, id);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(product(rows, 1)) : Optional.empty();
                }
            }
        });
    }

    public boolean delete(long id) {
        return databases.write(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
                statement.setLong(1, id);
                return statement.executeUpdate() > 0;
            }
        });
    }

    /** Where a read goes: the read pool (a replica, usually) or the primary (fresh after a write). */
    public enum ReadFrom { REPLICA, PRIMARY }

    public Served<Optional<Product>> findById(long id) {
        return findById(id, ReadFrom.REPLICA);
    }

    public Served<Optional<Product>> findById(long id, ReadFrom from) {
        SqlWork<Served<Optional<Product>>> find = connection -> {
            try (PreparedStatement statement = connection.prepareStatement(FIND)) {
                statement.setLong(1, id);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    DatabaseRole role = DatabaseRole.ofRecovery(rows.getBoolean(1));
                    rows.getLong(2);
                    return new Served<>(rows.wasNull() ? Optional.empty() : Optional.of(product(rows, 2)), role);
                }
            }
        };
        return from == ReadFrom.PRIMARY ? databases.readFromPrimary(find) : databases.read(find);
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
