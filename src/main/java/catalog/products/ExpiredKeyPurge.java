package catalog.products;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes idempotency keys past their time to live, on one background thread, every
 * {@link #periodFor(Duration) period}. An expired key is already treated as absent by the next
 * POST that brings it, so the purge only keeps the table small; a purge that fails (the database
 * is failing over) is simply tried again next time. Several instances purging at once is harmless.
 */
public final class ExpiredKeyPurge implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ExpiredKeyPurge.class.getName());
    private static final Duration LONGEST_PERIOD = Duration.ofMinutes(10);

    private final ProductRepository repository;
    private final ScheduledExecutorService timer;

    public ExpiredKeyPurge(ProductRepository repository, Duration ttl) {
        this.repository = repository;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "idempotency-key-purge");
            thread.setDaemon(true);
            return thread;
        });
        long period = periodFor(ttl).toMillis();
        timer.scheduleWithFixedDelay(this::purge, period, period, TimeUnit.MILLISECONDS);
    }

    /** As often as keys expire, but at least every 10 minutes. */
    static Duration periodFor(Duration ttl) {
        return ttl.compareTo(LONGEST_PERIOD) < 0 ? ttl : LONGEST_PERIOD;
    }

    private void purge() {
        try {
            int purged = repository.purgeExpiredKeys();
            if (purged > 0) {
                LOG.fine(() -> "purged " + purged + " expired idempotency keys");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "idempotency key purge failed, will retry: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
