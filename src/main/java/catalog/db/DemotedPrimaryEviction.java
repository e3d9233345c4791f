package catalog.db;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Tells HikariCP to evict a connection whose server refused a write as read-only (SQLSTATE 25006).
 * That is a primary demoted to replica behind an open connection: HikariCP only evicts on
 * connection-class states, so without this the pool would keep handing out a connection that
 * fails every write until it ages out.
 */
public final class DemotedPrimaryEviction implements SQLExceptionOverride {
    @java.lang.Override
    public Override adjudicate(SQLException e) {
        return SqlFailures.READ_ONLY_TRANSACTION.equals(e.getSQLState()) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }
}
