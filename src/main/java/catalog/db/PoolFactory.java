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
    private static final int VALIDATION_TIMEOUT_MS = 500;

    private PoolFactory() {}

    static HikariDataSource open(String name, Config.Pool pool, Config.Login login) {
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
        // the check's bound before the next is tried: at 1 s the 2 s borrow had room for two, and a
        // read that met two dead ones failed (SeveralHostsIT, the leader's host lost: a 503 after
        // 4.2 s, the read pool's borrow and then the write pool's). 500 ms leaves room for four;
        // reads still fail there in other ways (docs/several-hosts.md).
        // A test query, because pgjdbc's isValid(seconds) cannot wait less than a second; the bound
        // is then the socket timeout HikariCP sets for the check.
        config.setValidationTimeout(VALIDATION_TIMEOUT_MS);
        config.setConnectionTestQuery("SELECT 1");
        config.setKeepaliveTime(30_000);
        // Start even when the database is down (it may be failing over); requests get 503 meanwhile.
        config.setInitializationFailTimeout(-1);
        config.setExceptionOverrideClassName(DemotedPrimaryEviction.class.getName());
        config.addDataSourceProperty("connectTimeout", "2");   // seconds: TCP connect
        config.addDataSourceProperty("loginTimeout", "3");     // seconds: connect + authentication
        config.addDataSourceProperty("socketTimeout", "5");    // seconds: any single read from the server
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "products-api");
        return new HikariDataSource(config);
    }
}
