package catalog.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Creates the schema at start-up from {@code db/schema.sql} through the write pool. The script is
 * idempotent and runs under an advisory lock, so several API instances starting together are safe.
 * The database may still be starting (or failing over): keep trying for a bounded time.
 */
public final class Schema {
    private static final Logger LOG = Logger.getLogger(Schema.class.getName());
    private static final String RESOURCE = "/db/schema.sql";
    private static final long LOCK_KEY = 7_364_031L;

    private Schema() {}

    public static void apply(Databases databases, Duration patience) {
        String script = script();
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                databases.write(connection -> {
                    connection.setAutoCommit(false);
                    try (Statement statement = connection.createStatement()) {
                        // CREATE ... IF NOT EXISTS alone still fails with a unique violation when two
                        // sessions race; the transaction-scoped lock serialises them.
                        statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                        statement.execute(script);
                        connection.commit();
                    } catch (SQLException e) {
                        connection.rollback();
                        throw e;
                    }
                    return null;
                });
                return;
            } catch (DatabaseUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the database stayed unavailable for " + patience.toSeconds()
                            + " s while creating the schema", e);
                }
                LOG.info("database not ready for the schema yet, retrying: " + e.getMessage());
                sleep();
            }
        }
    }

    private static String script() {
        try (InputStream in = Schema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the database", e);
        }
    }
}
