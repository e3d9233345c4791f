package catalog.ha;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.lab.AcknowledgedProducts;
import catalog.lab.AcknowledgedProducts.Acknowledged;
import catalog.lab.BackupRepository;
import catalog.lab.BackupRepository.Outcome;
import catalog.lab.ClusterRestore;
import catalog.lab.ComposeHealth;
import catalog.lab.ComposeStack;
import catalog.lab.LabImages;
import catalog.lab.LabStarts;
import catalog.report.Figures;
import catalog.report.OrderedScenarios;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * High availability is not a backup: what the two Patroni nodes cannot undo, undone from the
 * pgBackRest repository (docs/backups.md), on docker-compose.yml as users run it. The rows share
 * one stack and run in order; the two restores come last, the mistaken DELETE before the total loss.
 */
@Tag("backup")
@DisplayName("Backups: high availability is not a backup")
@OrderedScenarios
@ExtendWith(LabStarts.Resolver.class)
class BackupCatalogueIT {
    /** archive_timeout in docker/patroni/backups.yml: the bound on what losing every node costs. */
    private static final Duration ARCHIVE_TIMEOUT = Duration.ofSeconds(10);
    /** Pushing the switched segment, and the client's clock beside the server's commit. */
    private static final Duration ARCHIVE_MARGIN = Duration.ofSeconds(5);
    private static final Duration HEALED = Duration.ofSeconds(180);
    private static final Duration UNWRITABLE_FOR = Duration.ofSeconds(60);

    /** Closed after the class (down -v), whatever happened. */
    @AutoClose
    private ComposeStack stack;
    private ComposeHealth health;
    private BackupRepository repository;
    private ClusterRestore restore;
    private ApiClient api;

    @BeforeAll
    void up(LabStarts starts) throws Exception {
        starts.started("backup");
        LabImages images = LabImages.fromEnvironment();
        stack = ComposeStack.up(images);
        health = new ComposeHealth(stack);
        repository = new BackupRepository(stack);
        restore = new ClusterRestore(stack, images);
        api = new ApiClient(URI.create(stack.apiUrl()));
        health.awaitHealthy(HEALED);
        // The leader's schedule takes the first full backup within seconds of the bootstrap.
        awaitCondition("a first full backup in the repository", Duration.ofSeconds(120),
                () -> repository.status(leader()).backups() >= 1);
    }

    @Test
    @Order(1)
    @DisplayName("the repository unwritable for 60 s: every write goes on, the archiver fails meanwhile, "
            + "catches up once it is writable again, and pgbackrest check is clean")
    void repositoryUnwritable(Figures figures) throws Exception {
        String leader = leader();
        long failedBefore = repository.status(leader).failed();
        int acknowledgedDuring;
        long failedDuring;
        Duration caughtUp;
        try (AcknowledgedProducts writes = new AcknowledgedProducts(front(), "unwritable repository", Duration.ofMillis(200))) {
            writes.awaitMore(5, Duration.ofSeconds(30));
            int before = writes.acknowledged().size();
            repository.makeUnwritable(leader);
            Thread.sleep(UNWRITABLE_FOR.toMillis());
            acknowledgedDuring = writes.acknowledged().size() - before;
            failedDuring = repository.status(leader).failed() - failedBefore;
            repository.makeWritable(leader);
            caughtUp = repository.awaitArchiving(leader, Duration.ofSeconds(120));
            writes.close();
            figures.record("writes acknowledged while the repository was unwritable", acknowledgedDuring, "");
            figures.record("failed POSTs", writes.failures(), "");
            assertThat(writes.failures()).as("POSTs that failed while the repository was unwritable").isZero();
        }
        Outcome check = repository.check(leader);
        figures.record("archive attempts that failed (pg_stat_archiver.failed_count)", failedDuring, "");
        figures.record("archiving caught up after the repository was writable again", seconds(caughtUp), "s");
        assertThat(acknowledgedDuring).as("writes acknowledged during the outage").isGreaterThan(100);
        assertThat(failedDuring).as("failed archive attempts: the fault was real").isPositive();
        assertThat(check.ok()).as("pgbackrest check after: %s", check.output()).isTrue();
    }

    @Test
    @Order(2)
    @DisplayName("the leader killed during a full backup: the cut backup is never listed as valid, the next one "
            + "succeeds on the new leader, and the new leader archives")
    void leaderKilledDuringBackup(Figures figures) throws Exception {
        String leader = leader();
        String other = leader.equals("pg-1") ? "pg-2" : "pg-1";
        // ~270 MB: a full backup then takes several seconds here, so the kill lands inside it.
        stack.sql(leader, "create table if not exists backup_ballast as "
                + "select g, md5(g::text) as filler from generate_series(1, 3000000) g");
        long backupsBefore = repository.status(leader).backups();
        CompletableFuture<Outcome> cut = CompletableFuture.supplyAsync(() -> {
            try {
                return repository.backup(leader, "full");
            } catch (Exception e) {
                return new Outcome(false, e.toString());
            }
        });
        repository.awaitBackupRunning(leader, Duration.ofSeconds(30));
        assertThat(cut.isDone()).as("the backup ended before the kill (more ballast needed)").isFalse();
        stack.kill(leader);
        Outcome cutOutcome = cut.get(2, TimeUnit.MINUTES);
        long killedAt = System.nanoTime();
        awaitCondition(other + " promoted", Duration.ofSeconds(60), () -> other.equals(health.leader().orElse("")));
        figures.record("replica promoted after the kill", seconds(Duration.ofNanos(System.nanoTime() - killedAt)), "s");
        stack.start(leader);
        health.awaitHealthy(HEALED);

        // Dropped before the next backup, so the restores of the next rows do not carry it.
        stack.sql(other, "drop table backup_ballast");
        Outcome next = repository.backup(other, "full");
        long backupsAfter = repository.status(other).backups();
        Outcome check = repository.check(other);
        figures.note("the backup under way when its leader was killed: " + (cutOutcome.ok() ? "completed" : "failed"));
        figures.record("valid backups before", backupsBefore, "");
        figures.record("valid backups after the next one", backupsAfter, "");
        assertThat(next.ok()).as("the next full backup, on the new leader: %s", next.output()).isTrue();
        assertThat(backupsAfter).as("valid backups: the next one added, the cut one only if it completed")
                .isEqualTo(backupsBefore + 1 + (cutOutcome.ok() ? 1 : 0));
        assertThat(check.ok()).as("pgbackrest check on the new leader: %s", check.output()).isTrue();
        assertThat(repository.status(other).failing()).as("the new leader's archiver failing").isFalse();
    }

    @Test
    @Order(3)
    @DisplayName("every product deleted by mistake (DELETE FROM products in psql on the leader): scripts/restore.sh "
            + "--to a time just before it brings every product acknowledged before it back, unchanged")
    void deleteUndoneByPointInTimeRecovery(Figures figures) throws Exception {
        List<Acknowledged> acknowledged;
        try (AcknowledgedProducts writes = new AcknowledgedProducts(front(), "before the mistake", Duration.ofMillis(100))) {
            writes.awaitMore(50, Duration.ofSeconds(60));
            writes.close();
            acknowledged = writes.acknowledged();
        }
        String leader = leader();
        // The database's clock just before the mistake, then the mistake, in one psql session.
        String[] beforeAndCount = stack.compose("exec", "-T", leader, "psql", "-X", "-q", "-U", "postgres", "-d", "products",
                "-tA", "-F", ",", "-c", "select clock_timestamp(), count(*) from products", "-c", "delete from products")
                .trim().split(",");
        String before = beforeAndCount[0];
        long productsBefore = Long.parseLong(beforeAndCount[1].trim());
        assertThat(productsSql(leader, "select count(*) from products")).isEqualTo("0");
        // The DELETE's WAL must reach the archive for the recovery to find where to stop.
        assertThat(repository.check(leader).ok()).isTrue();

        ClusterRestore.Run run = restore.restore("--to", before);
        Duration healed = health.awaitHealthy(HEALED);
        List<Acknowledged> notBack = acknowledged.stream().filter(p -> !AcknowledgedProducts.servedUnchanged(api, p)).toList();
        long after = Long.parseLong(productsSql(leader(), "select count(*) from products"));
        long newId = api.create("after the restore", "1.00", 1);
        long highest = acknowledged.stream().mapToLong(Acknowledged::id).max().orElseThrow();

        System.out.println("scripts/restore.sh --to '" + before + "':\n" + run.output());
        figures.record("products before the DELETE", productsBefore, "");
        figures.record("products after the restore", after, "");
        figures.record("scripts/restore.sh --to (stop, restore, backup, replica, cache)", seconds(run.took()), "s");
        figures.record("stack whole after the script", seconds(healed), "s");
        assertThat(notBack).as("products acknowledged before the DELETE not served back unchanged").isEmpty();
        assertThat(after).as("products in the restored database").isEqualTo(productsBefore);
        assertThat(newId).as("the first id after the restore (the sequence advanced)").isGreaterThan(highest);
    }

    @Test
    @Order(4)
    @DisplayName("both database nodes lost with their volumes: scripts/restore.sh --latest brings back every product "
            + "acknowledged before the loss minus archive_timeout (10 s, + 5 s margin), unchanged")
    void bothNodesLostRestoredFromRepository(Figures figures) throws Exception {
        List<Acknowledged> acknowledged;
        long lostAt;
        try (AcknowledgedProducts writes = new AcknowledgedProducts(front(), "before the loss", Duration.ofMillis(100))) {
            writes.awaitMore(200, Duration.ofSeconds(90));
            lostAt = System.currentTimeMillis();
            restore.loseBothNodes();
            writes.close();
            acknowledged = writes.acknowledged().stream().filter(p -> p.ackedAt() <= lostAt).toList();
        }
        ClusterRestore.Run run = restore.restore("--latest");
        Duration healed = health.awaitHealthy(HEALED);
        List<Acknowledged> notBack = acknowledged.stream().filter(p -> !AcknowledgedProducts.servedUnchanged(api, p)).toList();
        long boundary = lostAt - ARCHIVE_TIMEOUT.plus(ARCHIVE_MARGIN).toMillis();
        List<Acknowledged> mustHaveBeenBack = notBack.stream().filter(p -> p.ackedAt() < boundary).toList();
        long newestBack = acknowledged.stream().filter(p -> !notBack.contains(p)).mapToLong(Acknowledged::ackedAt).max().orElse(0);
        long oldestLost = notBack.stream().mapToLong(Acknowledged::ackedAt).min().orElse(lostAt);

        System.out.println("scripts/restore.sh --latest:\n" + run.output());
        figures.record("products acknowledged before the loss", acknowledged.size(), "");
        figures.record("of them lost (acknowledged in the last moments before it)", notBack.size(), "");
        figures.record("loss window: the oldest lost product was acknowledged this long before the loss",
                (lostAt - oldestLost) / 1000.0, "s");
        figures.record("the newest product back was acknowledged this long before the loss", (lostAt - newestBack) / 1000.0, "s");
        figures.record("scripts/restore.sh --latest (restore, backup, replica, cache)", seconds(run.took()), "s");
        figures.record("stack whole after the script", seconds(healed), "s");
        assertThat(mustHaveBeenBack).as("products acknowledged more than archive_timeout + margin before the loss, not back")
                .isEmpty();
    }

    /** psql as the superuser in the database products (ComposeStack.sql runs in the database postgres). */
    private String productsSql(String node, String statement) throws Exception {
        return stack.compose("exec", "-T", node, "psql", "-X", "-U", "postgres", "-d", "products", "-tAc", statement).trim();
    }

    private String leader() throws Exception {
        return health.leader().orElseThrow(() -> new AssertionError("no single leader"));
    }

    private URI front() {
        return URI.create(stack.apiUrl());
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls once a second (each look is a docker exec): fails with the last error after {@code within}. */
    private static void awaitCondition(String what, Duration within, Condition condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what + (last == null ? "" : " (" + last + ")"));
    }

    private static double seconds(Duration duration) {
        return Math.round(duration.toMillis() / 100.0) / 10.0;
    }
}
