package catalog.admission;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.RunningApi;
import catalog.cache.CacheLab;
import catalog.cache.WithCacheLab;
import catalog.lab.Pace;
import catalog.report.Figures;
import catalog.report.SpecReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The write path stalls (its port black-holed by Toxiproxy: connections stay open, nothing comes
 * back) while clients keep writing and reading. Without bulkheads each stalled write held an HTTP
 * worker for seconds and reads starved behind them in the work queue; here writes are bounded by
 * their own compartment and fail fast with 503, and reads go on. Reads are pages of products
 * (always from the database, on the read pool, which reaches PostgreSQL directly). The cache lab
 * gives the stalled path (its write proxy); it heals the stall before the next scenario.
 */
@Tag("failover")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SpecReport.class)
@ExtendWith(WithCacheLab.class)
@DisplayName("When the write path stalls")
class StalledWritesIT {
    private static final Duration PHASE = Duration.ofSeconds(12);
    /** A reader gives up after this long (a failed read); a writer waits longer, to measure how long a write takes to fail. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration WRITER_TIMEOUT = Duration.ofSeconds(15);
    private static final int READERS = 4;
    /** Writes arrive at this pace whether or not earlier ones were answered (clients of many users). */
    private static final Duration WRITE_EVERY = Duration.ofMillis(20);
    private static final int SEEDED = 2_000;
    private static final Duration WRITE_DEADLINE = Duration.ofSeconds(2);   // DB_WRITE_TIMEOUT_MS's default
    private static final Duration WRITE_QUEUE_WAIT = Duration.ofSeconds(1);   // DB_WRITE_QUEUE_TIMEOUT_MS's default

    private CacheLab lab;
    private RunningApi api;
    /** The first of the products seeded for the readers' pages (the lab's database is shared by the run). */
    private long firstSeeded;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build();

    @BeforeAll
    void start(CacheLab lab) {
        this.lab = lab;
        api = lab.startApi(s -> s.writeUrl(lab.proxiedWriteUrl()).readUrl(lab.primaryUrl())
                .redisUrl("redis://127.0.0.1:1"));   // no cache: every read is a database read
        firstSeeded = Long.parseLong(lab.primarySql("WITH seeded AS (INSERT INTO products (name, price, stock)"
                + " SELECT 'seeded ' || g, g % 100, 1 FROM generate_series(1, " + SEEDED + ") g RETURNING id)"
                + " SELECT min(id) FROM seeded"));
    }

    /** One request's outcome: status (0 when the client gave up or the connection failed) and duration. */
    private record Outcome(int status, long nanos) {
        double ms() {
            return nanos / 1e6;
        }
    }

    /**
     * Readers in closed loops (each waits for its answer, then 10 ms) and writes arriving at a fixed
     * pace (open loop: a stalled write does not slow the next one down, as with many users); outcomes
     * kept per phase.
     */
    private final class Load implements AutoCloseable {
        final List<Outcome> reads = Collections.synchronizedList(new ArrayList<>());
        final List<Outcome> writes = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final ScheduledExecutorService writers = Executors.newSingleThreadScheduledExecutor();

        Load() {
            for (int i = 0; i < READERS; i++) {
                threads.add(new Thread(() -> loop(reads, 10, this::read)));
            }
            threads.forEach(Thread::start);
            writers.scheduleAtFixedRate(this::sendWrite, 0, WRITE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void sendWrite() {
            long start = System.nanoTime();
            http.sendAsync(write(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) ->
                    writes.add(new Outcome(failure == null ? response.statusCode() : 0, System.nanoTime() - start)));
        }

        private HttpRequest read() {
            long after = firstSeeded - 1 + ThreadLocalRandom.current().nextLong(SEEDED - 10);
            return request("/products?limit=5&after=" + after, CLIENT_TIMEOUT).GET().build();
        }

        private HttpRequest write() {
            return request("/products", WRITER_TIMEOUT).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + ApiClient.DEV_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"stall\",\"price\":1.00,\"stock\":1}")).build();
        }

        private void loop(List<Outcome> into, long pauseMs, java.util.function.Supplier<HttpRequest> next) {
            while (running.get()) {
                long start = System.nanoTime();
                int status;
                try {
                    status = http.send(next.get(), HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException e) {
                    status = 0;
                } catch (InterruptedException e) {
                    return;
                }
                into.add(new Outcome(status, System.nanoTime() - start));
                Pace.pause(pauseMs);
            }
        }

        /** Outcomes recorded so far, removed from the load (the next phase starts empty). */
        List<Outcome> drain(List<Outcome> from) {
            synchronized (from) {
                List<Outcome> copy = new ArrayList<>(from);
                from.clear();
                return copy;
            }
        }

        @Override
        public void close() {
            running.set(false);
            writers.shutdownNow();
            for (Thread thread : threads) {
                try {
                    thread.join(WRITER_TIMEOUT.toMillis() * 2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + api.api().port() + path)).timeout(timeout);
    }

    @Test
    @DisplayName("reads keep their latency and none fails, while writes are refused fast with 503")
    void readsGoOn(Figures figures) throws Exception {
        List<Outcome> readsBefore;
        List<Outcome> writesBefore;
        List<Outcome> readsStalled;
        List<Outcome> writesStalled;
        try (Load load = new Load()) {
            Pace.pause(2_000);   // warm-up: pools full, code compiled
            load.drain(load.reads);
            load.drain(load.writes);
            Pace.pause(PHASE.toMillis());
            readsBefore = load.drain(load.reads);
            writesBefore = load.drain(load.writes);

            lab.stallWrites();
            Pace.pause(500);   // writes that were already answered when the toxic landed belong to neither phase
            load.drain(load.writes);
            load.drain(load.reads);
            Pace.pause(PHASE.toMillis());
            readsStalled = load.drain(load.reads);
            writesStalled = load.drain(load.writes);
        }

        double p99Before = percentile(readsBefore, 0.99);
        double p99Stalled = percentile(readsStalled, 0.99);
        long failedReads = readsStalled.stream().filter(o -> o.status() != 200).count();
        List<Outcome> refused = writesStalled.stream().filter(o -> o.status() == 503).toList();
        long shedWrites = api.api().shedding().shed(Shedding.Reason.WRITES_FULL)
                + api.api().shedding().shed(Shedding.Reason.WRITES_TIMEOUT);
        figures.table("Reads and writes before and while the write path is stalled (" + PHASE.toSeconds() + " s each)",
                List.of("phase", "reads", "failed reads", "read p50 ms", "read p99 ms", "writes", "201", "503",
                        "503 median ms", "503 max ms"),
                List.of(row("before", readsBefore, writesBefore), row("write path stalled", readsStalled, writesStalled)));
        figures.record("read p99 stalled / before", p99Stalled / p99Before, "x");
        figures.record("writes refused by the write lane (full or waited too long)", shedWrites, "requests");
        figures.record("slowest failed write while stalled", max(refused), "ms");

        assertThat(readsBefore).allSatisfy(o -> assertThat(o.status()).isEqualTo(200));
        assertThat(writesBefore).allSatisfy(o -> assertThat(o.status()).isEqualTo(201));
        assertThat(failedReads).as("reads that failed while writes were stalled").isZero();
        // Twice the p99 before, but never less than 25 ms above it: a p99 of a few ms doubles with one
        // scheduling hiccup on a busy 2-core machine (22 vs 6.8 ms seen on a fresh CI machine), while
        // the failure this guards against, a read queued behind the stalled writes, costs their
        // deadline: seconds.
        double allowed = Math.max(2 * p99Before, p99Before + 25);
        assertThat(p99Stalled).as("read p99 while stalled vs before (%.1f ms)", p99Before).isLessThanOrEqualTo(allowed);
        assertThat(refused.size()).as("writes answered 503 while stalled").isGreaterThan(writesStalled.size() / 2);
        assertThat(writesStalled).as("every write answered while stalled was refused (503), none hung until its client gave up")
                .allSatisfy(o -> assertThat(o.status()).isEqualTo(503));
        assertThat(shedWrites).as("refused by the write lane").isPositive();
        assertThat(median(refused)).as("median refused write: refused at once, the write lane is stalled").isLessThan(500);
        // The lane's wait (1 s) bounds a write that could not start, DB_WRITE_TIMEOUT_MS (2 s, borrow
        // included) one that started; a second of room for a busy machine.
        assertThat(max(refused)).as("slowest refused write").isLessThan(WRITE_QUEUE_WAIT.plus(WRITE_DEADLINE).toMillis() + 1_000);
    }

    private List<String> row(String phase, List<Outcome> reads, List<Outcome> writes) {
        List<Outcome> refused = writes.stream().filter(o -> o.status() == 503).toList();
        return List.of(phase, String.valueOf(reads.size()), String.valueOf(reads.stream().filter(o -> o.status() != 200).count()),
                ms(percentile(reads, 0.5)), ms(percentile(reads, 0.99)), String.valueOf(writes.size()),
                String.valueOf(writes.stream().filter(o -> o.status() == 201).count()), String.valueOf(refused.size()),
                refused.isEmpty() ? "-" : ms(median(refused)), refused.isEmpty() ? "-" : ms(max(refused)));
    }

    private static double percentile(List<Outcome> outcomes, double p) {
        double[] ms = outcomes.stream().mapToDouble(Outcome::ms).sorted().toArray();
        assertThat(ms).as("samples").isNotEmpty();
        return ms[Math.min(ms.length - 1, (int) Math.ceil(p * ms.length) - 1)];
    }

    private static double median(List<Outcome> outcomes) {
        return percentile(outcomes, 0.5);
    }

    private static double max(List<Outcome> outcomes) {
        return outcomes.stream().mapToDouble(Outcome::ms).max().orElse(0);
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

}
