package catalog.ha;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.ApiSettings;
import catalog.lab.ApiContainer;
import catalog.lab.ApiTier;
import catalog.lab.FrontServer;
import catalog.lab.HaproxyServer;
import catalog.lab.LabImages;
import catalog.lab.LabStarts;
import catalog.lab.PostgresServer;
import catalog.lab.RedisServer;
import catalog.report.Figures;
import catalog.report.SpecReport;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;

/**
 * The front keeps its connections to the API instances open between reads (front.cfg), and sends
 * every write on a connection of its own. A request sent on a connection the instance was closing at
 * that moment would fail: a read is sent again, a POST never is. HAProxy lets idle connections go
 * within seconds as a rule but has no hard bound, so an instance never closes an idle connection
 * itself in practice (the JDK server's {@code sun.net.httpserver.idleInterval} of a day,
 * {@code maxIdleConnections} above the front's maxconn: {@link #INSTANCE_JVM_SETTINGS}, as the API's
 * JVM settings deploy them), and the front closes them. With the interval lowered to 24 s, an earlier
 * version of this scenario, when POSTs still rode kept connections, saw the front keep a connection
 * until the instance closed it and a POST sent on it then fail.
 *
 * <p>The lab is the smallest that has the front: one PostgreSQL (no failover is at stake here),
 * Redis, two instances of the API image behind the front.
 */
@Tag("compose")
@DisplayName("The HTTP front keeps connections to the instances alive")
@ExtendWith(SpecReport.class)
@ExtendWith(LabStarts.Resolver.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrontKeepAliveIT {
    /** timeout http-keep-alive (10 s) and a few purge rounds: what front.cfg's pool would need to release all (recorded, not promised). */
    private static final Duration FRONT_RELEASE_HORIZON = Duration.ofSeconds(19);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(31);
    private static final int POSTS_PER_ROUND = 8;
    private static final String READS = FrontServer.BACKENDS.get(0);
    private static final String WRITES = FrontServer.BACKENDS.get(1);

    @AutoClose
    private final KeepAliveLab lab = new KeepAliveLab();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private URI frontStats;

    @BeforeAll
    void startLab(LabStarts starts) {
        starts.started("front");
        lab.start();
    }

    @Test
    @DisplayName("an instance keeps a connection left idle for 31 s open: the front, not the instance, closes idle connections")
    void instanceKeepsIdleConnections(Figures figures) throws Exception {
        URI instance = lab.tier.instance("api-1").baseUri();
        try (Socket socket = new Socket(instance.getHost(), instance.getPort())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] request = "GET /health/live HTTP/1.1\r\nHost: api-1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            out.write(request);
            out.flush();
            readResponse(in);
            socket.setSoTimeout((int) LONGEST_PAUSE.toMillis());
            long idleSince = System.nanoTime();
            boolean closed;
            try {
                // The answer's body (a few bytes), then nothing: the read times out unless the instance closes.
                while (in.read() >= 0) {
                    idleSince = System.nanoTime();
                }
                closed = true;
            } catch (SocketTimeoutException stillOpen) {
                closed = false;
            }
            figures.record("seconds a connection stayed idle and open on the instance", (System.nanoTime() - idleSince) / 1e9, "s");
            assertThat(closed).as("the instance closed a connection idle for less than %s", LONGEST_PAUSE).isFalse();
            out.write(request);
            out.flush();
            readResponse(in);   // and it still answers on it
        }
    }

    @Test
    @DisplayName("POSTs and reads sent in rounds with pauses from 250 ms to 31 s: reads ride the connections the front "
            + "keeps, each POST a connection of its own; no request fails, no POST is applied twice")
    void postsAcrossIdleTimeout(Figures figures) throws Exception {
        // Short pauses (the front reuses its connections), then long ones past the front's usual
        // release. None ends near the front's own timeout http-keep-alive (10 s), where the front
        // closes the test's idle client connections: that race is the client's, not this one.
        List<Duration> pauses = new ArrayList<>();
        for (long ms : new long[] {250, 1_000, 3_000, 14_000, 20_000, 26_000, LONGEST_PAUSE.toMillis()}) {
            pauses.add(Duration.ofMillis(ms));
        }
        long readReusesBefore = frontStatistic(READS, "reuse");
        long writeReusesBefore = frontStatistic(WRITES, "reuse");
        long writeConnectsBefore = frontStatistic(WRITES, "connect");
        List<Integer> statuses = new ArrayList<>();
        List<Integer> readStatuses = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Double> releases = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(2 * POSTS_PER_ROUND);
        try {
            for (Duration pause : pauses) {
                List<Future<Integer>> posts = new ArrayList<>();
                List<Future<Integer>> reads = new ArrayList<>();
                for (int i = 0; i < POSTS_PER_ROUND; i++) {
                    String name = "keep-alive " + UUID.randomUUID();
                    names.add(name);
                    posts.add(clients.submit(() -> post(name)));
                    reads.add(clients.submit(this::read));
                }
                for (Future<Integer> status : posts) {
                    statuses.add(status.get());
                }
                for (Future<Integer> status : reads) {
                    readStatuses.add(status.get());
                }
                double released = idleUntilReleased(pause);
                if (pause.compareTo(FRONT_RELEASE_HORIZON) > 0) {
                    releases.add(released);
                }
            }
        } finally {
            clients.shutdownNow();
        }
        long readReuses = frontStatistic(READS, "reuse") - readReusesBefore;
        long writeReuses = frontStatistic(WRITES, "reuse") - writeReusesBefore;
        long writeConnects = frontStatistic(WRITES, "connect") - writeConnectsBefore;
        Map<String, Integer> rows = rowsByName();
        double slowestRelease = releases.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);

        figures.record("POSTs sent", statuses.size(), "");
        figures.record("answered 201", statuses.stream().filter(s -> s == 201).count(), "");
        figures.record("reads the front sent on a connection it kept", readReuses, "");
        figures.record("POSTs the front sent on a connection it kept", writeReuses, "");
        figures.record("connections the front opened for POSTs", writeConnects, "");
        figures.record("longest time the front kept an idle connection to an instance", slowestRelease, "s");
        figures.record("long pauses after which the front kept no idle connection within 19 s",
                releases.stream().filter(seconds -> seconds < FRONT_RELEASE_HORIZON.toSeconds()).count(), "of " + releases.size());
        assertThat(readReuses).as("reads the front sent on a connection it kept (else keep-alive is not at work)")
                .isGreaterThanOrEqualTo(POSTS_PER_ROUND);
        assertThat(writeReuses).as("POSTs the front sent on a connection it kept").isZero();
        assertThat(writeConnects).as("connections the front opened for POSTs").isGreaterThanOrEqualTo(statuses.size());
        assertThat(readStatuses).as("status of every read").allMatch(s -> s == 200);
        assertThat(statuses).as("status of every POST").allMatch(s -> s == 201);
        assertThat(names).as("rows stored per POST").allSatisfy(name -> assertThat(rows.getOrDefault(name, 0)).isEqualTo(1));
    }

    /**
     * Waits {@code pause}, watching the front's statistics: returns the seconds until it kept no
     * idle connection to either instance, or the pause's length if it still kept one at its end.
     */
    private double idleUntilReleased(Duration pause) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long end = start + pause.toNanos();
        Double released = null;
        while (System.nanoTime() < end) {
            if (released == null && frontStatistic(READS, "idle_conn_cur") + frontStatistic(READS, "safe_conn_cur") == 0) {
                released = (System.nanoTime() - start) / 1e9;
            }
            Thread.sleep(100);
        }
        return released != null ? released : pause.toMillis() / 1000.0;
    }

    /** A read of a page (never cached: it reaches an instance), answered 200. */
    private int read() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(lab.tier.entry().resolve("/products?limit=1")).timeout(Duration.ofSeconds(15)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A fresh client connection per POST, as many clients do: the front's reuse is its own. */
    private int post(String name) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(lab.tier.entry().resolve("/products"))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ApiClient.DEV_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"price\":1.50,\"stock\":1}"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private Map<String, Integer> rowsByName() {
        Map<String, Integer> rows = new HashMap<>();
        for (String line : lab.database.sql("SELECT name || '|' || count(*) FROM products WHERE name LIKE 'keep-alive %' GROUP BY name")
                .split("\\R")) {
            if (!line.isBlank()) {
                int bar = line.lastIndexOf('|');
                rows.put(line.substring(0, bar), Integer.parseInt(line.substring(bar + 1)));
            }
        }
        return rows;
    }

    /**
     * A column of the front's statistics CSV for one backend ({@code reuse}: requests sent on a kept
     * connection; {@code connect}: connections opened; {@code idle_conn_cur}, {@code safe_conn_cur}:
     * idle connections it keeps), summed over the two instances; read from its stats port, which the
     * lab publishes.
     */
    private long frontStatistic(String backend, String column) throws IOException, InterruptedException {
        if (frontStats == null) {
            DockerClient docker = DockerClientFactory.instance().client();
            String port = docker.listContainersCmd().withNetworkFilter(List.of(lab.network.getId())).exec().stream()
                    .map(c -> docker.inspectContainerCmd(c.getId()).exec())
                    .filter(c -> c.getNetworkSettings().getNetworks().values().stream()
                            .anyMatch(n -> n.getAliases() != null && n.getAliases().contains("front")))
                    .map(c -> c.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(HaproxyServer.STATS_PORT))[0].getHostPortSpec())
                    .findFirst().orElseThrow(() -> new IllegalStateException("no front on the lab network"));
            frontStats = URI.create("http://localhost:" + port + "/;csv");
        }
        List<String> lines = http.send(HttpRequest.newBuilder(frontStats).build(), HttpResponse.BodyHandlers.ofString())
                .body().lines().toList();
        List<String> header = List.of(lines.get(0).replaceFirst("^# ", "").split(","));
        int proxy = header.indexOf("pxname");
        int server = header.indexOf("svname");
        int index = header.indexOf(column);
        assertThat(index).as("the front's statistics have a column " + column).isNotNegative();
        return lines.stream().skip(1).map(line -> line.split(",", -1))
                .filter(f -> f[proxy].equals(backend) && f[server].startsWith("api-"))
                .mapToLong(f -> f[index].isEmpty() ? 0 : Long.parseLong(f[index])).sum();
    }

    /** Reads a response's status line and headers; returns when the blank line after them arrived. */
    private static long readResponse(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the instance closed the connection before answering");
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return System.nanoTime();
    }

    /**
     * This class's own lab: PostgreSQL, Redis and two API containers behind the front, on a network
     * of their own. Closed after the last scenario, in the reverse order of its start, also when the
     * start failed halfway.
     */
    private static final class KeepAliveLab implements AutoCloseable {
        private final Network network = Network.newNetwork();
        private PostgresServer database;
        private RedisServer redis;
        private ApiTier tier;

        void start() {
            LabImages images = LabImages.fromEnvironment();
            database = new PostgresServer(images).withNetwork(network).withNetworkAliases("db");
            redis = new RedisServer(images).withNetwork(network).withNetworkAliases("redis");
            database.start();
            redis.start();
            // The image's own JVM settings keep idle connections longer than the front does (docker/api/Dockerfile).
            tier = ApiTier.behindFront(images, ApiContainer.buildImage(images), network, ApiSettings.withDevKey()
                    .writeUrl("jdbc:postgresql://db:" + PostgresServer.PORT + "/" + PostgresServer.DATABASE)
                    .user(database.getUsername()).password(database.getPassword())
                    .redisUrl(redis.internalUrl("redis")).environment());
            tier.start();
        }

        @Override
        public void close() {
            if (tier != null) {
                tier.close();
            }
            if (redis != null) {
                redis.stop();
            }
            if (database != null) {
                database.stop();
            }
            network.close();
        }
    }
}
