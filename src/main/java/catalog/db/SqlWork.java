package catalog.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done with one pooled connection (borrowed and returned by {@link Databases}). */
@FunctionalInterface
public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
}
