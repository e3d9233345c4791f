package catalog.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.io.EOFException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SqlFailuresTest {
    @Test
    @DisplayName("connection failures, shutdowns, too many connections and read-only refusals mean unavailable")
    void unavailable() {
        for (String state : new String[] {"08001", "08006", "57P01", "57P03", "53300", "25006"}) {
            assertThat(SqlFailures.isUnavailable(new SQLException("x", state))).as(state).isTrue();
        }
        assertThat(SqlFailures.isUnavailable(new SQLTransientConnectionException("pool timeout"))).isTrue();
        assertThat(SqlFailures.isUnavailable(new SQLException("io", null, new EOFException()))).isTrue();
    }

    @Test
    @DisplayName("a connection that broke under a statement is told apart from a borrow that timed out")
    void broken() {
        assertThat(SqlFailures.isBrokenConnection(new SQLException("I/O error", "08006"))).isTrue();
        assertThat(SqlFailures.isBrokenConnection(new SQLException("closed", "08003"))).isTrue();
        assertThat(SqlFailures.isBrokenConnection(new SQLException("io", null, new EOFException()))).isTrue();
        assertThat(SqlFailures.isBrokenConnection(new SQLTransientConnectionException("pool timeout", "08006"))).isFalse();
        assertThat(SqlFailures.isBrokenConnection(new SQLException("cannot connect", "08001"))).isFalse();
        assertThat(SqlFailures.isBrokenConnection(new SQLException("read-only", "25006"))).isFalse();
    }

    @Test
    @DisplayName("no server to offer is told apart from a slow one: a write past its deadline, a pool busy to the last connection")
    void noServer() {
        for (String state : new String[] {"08001", "08006", "57P01", "57P03", "25006"}) {
            assertThat(SqlFailures.isNoServer(new SQLTransientConnectionException("borrow timed out after a failed attempt", state)))
                    .as(state).isTrue();
        }
        assertThat(SqlFailures.isNoServer(new SQLException("io", null, new EOFException()))).isTrue();
        assertThat(SqlFailures.isNoServer(new SQLTransientConnectionException("deadline", SqlFailures.DEADLINE_OVERRUN))).isFalse();
        assertThat(SqlFailures.isNoServer(new SQLTransientConnectionException("every connection busy"))).isFalse();
        assertThat(SqlFailures.isNoServer(new SQLException("too many connections", "53300"))).isFalse();
    }

    @Test
    @DisplayName("a bug (syntax error, constraint violation) is not dressed up as unavailability")
    void bugs() {
        for (String state : new String[] {"42601", "23514", "22003"}) {
            assertThat(SqlFailures.isUnavailable(new SQLException("x", state))).as(state).isFalse();
        }
    }

    @Test
    @DisplayName("HikariCP must evict a connection whose server refused a write as read-only, and only that")
    void evictsDemotedPrimary() {
        DemotedPrimaryEviction override = new DemotedPrimaryEviction();

        assertThat(override.adjudicate(new SQLException("read-only", "25006"))).isEqualTo(SQLExceptionOverride.Override.MUST_EVICT);
        assertThat(override.adjudicate(new SQLException("syntax", "42601"))).isEqualTo(SQLExceptionOverride.Override.CONTINUE_EVICT);
        assertThat(override.adjudicate(new SQLException("no state"))).isEqualTo(SQLExceptionOverride.Override.CONTINUE_EVICT);
    }
}
