package catalog.db;

import catalog.ops.Config;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Builds a HikariCP pool whose every wait is bounded, so a dead or black-holed database turns into
 * a fast error instead of a hung request. pgjdbc waits forever by default on login and socket
 * reads; values given in the JDBC URL override the ones set here.
 */
final class PoolFactory {
    static final int CONNECTION_TIMEOUT_MS = 2_000;
    private static final int VALIDATION_TIMEOUT_MS = 250;
    /** How long a pool's connections wait for the server, in whole seconds (pgjdbc's unit). */
    record ServerWaits(int login, int socket) {
        /**
         * The write pool (or the one pool both share): a login outlasts HAProxy's hold of a new write
         * connection while no leader is UP (4 s, haproxy.cfg) after a connect to a lost HAProxy (1 s),
         * so a connection made during a failover goes through once the leader is UP instead of
         * failing; the socket timeout (5 s) bounds the wait for the server's first answer, the hold
         * included.
         */
        static final ServerWaits WRITES = new ServerWaits(6, 5);
        /**
         * A separate read pool: reads by key and keyset pages take milliseconds, and a read stuck on
         * a connection whose path died (a host lost without a reset) must leave room, within the
         * front's 5 s for a read, for its retry on a new connection.
         */
        static final ServerWaits READS = new ServerWaits(3, 2);
    }

    private PoolFactory() {}

    static HikariDataSource open(String name, Config.Pool pool, Config.Login login, ServerWaits waits) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(pool.url());
        config.setUsername(login.user());
        config.setPassword(login.password());
        config.setMaximumPoolSize(pool.size());
        config.setMinimumIdle(pool.size());   // a fixed-size pool: no connection set-up on the request path
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);   // borrow wait, pool exhausted or db down
        // A connection idle for over 500 ms is checked before it is handed out. When a host is lost,
        // the connections through its HAProxy (about half) are dead without a reset, and each costs
        // the check's bound before the next is tried: a read whose borrow met four dead ones in a row
        // at 500 ms each ran out of its 2 s (SeveralHostsIT, the leader's host lost: a 503 after
        // 4.1 s, the read pool's borrow and then the write pool's). 250 ms, HikariCP's least, leaves
        // room for eight. A test query, because pgjdbc's isValid(seconds) cannot wait less than a
        // second; the bound is then the socket timeout HikariCP sets for the check.
        config.setValidationTimeout(VALIDATION_TIMEOUT_MS);
        config.setConnectionTestQuery("SELECT 1");
        config.setKeepaliveTime(30_000);
        // Start even when the database is down (it may be failing over); requests get 503 meanwhile.
        config.setInitializationFailTimeout(-1);
        config.setExceptionOverrideClassName(DemotedPrimaryEviction.class.getName());
        // A TCP connect on the database network answers in a millisecond or is refused; one that does
        // neither goes to a lost host, and pgjdbc then tries the URL's next HAProxy. At 1 s a new
        // connection that tries the lost one first still fits in the 2 s borrow (at 2 s it did not).
        config.addDataSourceProperty("connectTimeout", "1");   // seconds: TCP connect, per host
        config.addDataSourceProperty("loginTimeout", Integer.toString(waits.login()));     // connect + authentication
        config.addDataSourceProperty("socketTimeout", Integer.toString(waits.socket()));   // any single read
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "products-api");
        return new HikariDataSource(config);
    }
}
