package catalog.lab;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The pgBackRest repository of a {@link ComposeStack} (the volume pgbackrest-repo, shared by both
 * database nodes) and each node's WAL archiver, seen through the commands an operator types:
 * {@code pgbackrest info}, {@code check}, {@code backup}, and {@code /etc/patroni/backup-status.sh}
 * (docs/backups.md).
 */
public final class BackupRepository {
    private static final String PATH = "/var/lib/pgbackrest";

    /** What pg_stat_archiver and pgbackrest info say on one node (backup-status.sh's figures). */
    public record Status(Map<String, Long> figures) {
        public long archived() {
            return figures.getOrDefault("pg_archiver_archived_count", -1L);
        }

        public long failed() {
            return figures.getOrDefault("pg_archiver_failed_count", -1L);
        }

        /** 1 while the last attempt to archive failed. */
        public boolean failing() {
            return figures.getOrDefault("pg_archiver_failing", 1L) == 1;
        }

        public long backups() {
            return figures.getOrDefault("pgbackrest_backups", 0L);
        }

        public long lastBackupAgeSeconds() {
            return figures.getOrDefault("pgbackrest_last_backup_age_seconds", -1L);
        }
    }

    /** The outcome of a command that may fail by design (check during an outage, a backup cut short). */
    public record Outcome(boolean ok, String output) {}

    private final ComposeStack stack;

    public BackupRepository(ComposeStack stack) {
        this.stack = stack;
    }

    public Status status(String node) throws IOException, InterruptedException {
        String text = stack.compose("exec", "-T", node, "/etc/patroni/backup-status.sh");
        return new Status(text.lines().filter(l -> !l.startsWith("#") && l.contains(" "))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(' ')),
                        l -> Long.parseLong(l.substring(l.indexOf(' ') + 1).trim()), (a, b) -> b)));
    }

    /** {@code pgbackrest info} as a person reads it. */
    public String info(String node) throws IOException, InterruptedException {
        return stack.compose("exec", "-T", node, "pgbackrest", "--stanza=products", "info");
    }

    /** {@code pgbackrest check}: a WAL switch archived and read back, the configuration sound. */
    public Outcome check(String node) throws InterruptedException, IOException {
        return attempt("exec", "-T", node, "pgbackrest", "--stanza=products", "check");
    }

    /** A backup of the given type (full, diff, incr) on the node, waited for. */
    public Outcome backup(String node, String type) throws InterruptedException, IOException {
        return attempt("exec", "-T", node, "pgbackrest", "--stanza=products", "--type=" + type, "backup");
    }

    /**
     * Waits until a pgBackRest backup runs on the node (its lock is held), polling inside the
     * container every 0.1 s: a backup of a few hundred MB holds its lock for a few seconds only.
     */
    public void awaitBackupRunning(String node, Duration within) throws IOException, InterruptedException {
        stack.compose("exec", "-T", node, "timeout", String.valueOf(within.toSeconds()), "sh", "-c",
                "until pgbackrest --stanza=products --output=json info | tr -d ' \\n' | grep -q '\"backup\":{\"held\":true';"
                        + " do sleep 0.1; done");
    }

    /** The repository's directory unreadable and unwritable for the postgres user (chmod as root). */
    public void makeUnwritable(String node) throws IOException, InterruptedException {
        stack.compose("exec", "-T", "-u", "root", node, "chmod", "000", PATH);
    }

    public void makeWritable(String node) throws IOException, InterruptedException {
        stack.compose("exec", "-T", "-u", "root", node, "chmod", "0750", PATH);
    }

    /** Waits until the node's archiver has archived since its last failure; returns how long that took. */
    public Duration awaitArchiving(String node, Duration within) throws InterruptedException, IOException {
        long started = System.nanoTime();
        while (true) {
            try {
                Status status = status(node);
                if (!status.failing() && status.archived() > 0) {
                    return Duration.ofNanos(System.nanoTime() - started);
                }
            } catch (IllegalStateException notAnswering) {
                // the node is restarting: try again
            }
            if (System.nanoTime() - started > within.toNanos()) {
                throw new AssertionError(node + "'s WAL archiver still failing after " + within);
            }
            Thread.sleep(1_000);
        }
    }

    private Outcome attempt(String... args) throws InterruptedException, IOException {
        try {
            return new Outcome(true, stack.compose(args));
        } catch (IllegalStateException failed) {
            return new Outcome(false, failed.getMessage());
        }
    }
}
