package catalog.db;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/** Which SQL failures mean "the database is not available right now" rather than a bug. */
final class SqlFailures {
    /** SQLSTATE of a write sent to a server in recovery: a demoted primary or a replica. */
    static final String READ_ONLY_TRANSACTION = "25006";
    /** SQLSTATE of a write that did not finish within its deadline: query_canceled, as PostgreSQL's statement_timeout. */
    static final String DEADLINE_OVERRUN = "57014";

    private SqlFailures() {}

    /**
     * A pooled connection that broke under a statement (the server or a proxy on the way went away):
     * pgjdbc's "connection failure" or "connection does not exist", or an I/O error. Not a borrow
     * that timed out, nor a deadline's own abort (both {@link SQLTransientConnectionException}):
     * those say nothing about the connections resting in the pool.
     */
    static boolean isBrokenConnection(SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return false;
        }
        String state = e.getSQLState();
        return state == null ? e.getCause() instanceof java.io.IOException
                : state.equals("08006") || state.equals("08003");
    }

    /**
     * The pool has no server to offer: a connection broke or could not be made (a borrow that timed
     * out carries the last failed attempt's state), the server is shutting down, or it is in recovery
     * (a demoted primary). Not a statement that overran its deadline on a live server
     * ({@link #DEADLINE_OVERRUN}), nor a borrow that timed out with every connection busy (no state).
     */
    static boolean isNoServer(SQLException e) {
        if (isBrokenConnection(e)) {
            return true;
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals(READ_ONLY_TRANSACTION));
    }

    static boolean isUnavailable(SQLException e) {
        if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException || e instanceof SQLTimeoutException) {
            return true;
        }
        String state = e.getSQLState();
        if (state == null) {
            return e.getCause() instanceof java.io.IOException;
        }
        return state.startsWith("08")          // connection exception
                || state.startsWith("57P")     // admin/crash shutdown, cannot connect now
                || state.startsWith("53")      // insufficient resources (too many connections)
                || state.equals(READ_ONLY_TRANSACTION);
    }
}
