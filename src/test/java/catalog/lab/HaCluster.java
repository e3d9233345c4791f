package catalog.lab;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;

/**
 * The high-availability lab: etcd, two Patroni nodes ({@code pg-1}, {@code pg-2}) built from the
 * project's Dockerfile, and HAProxy running the repository's haproxy.cfg, on one network. The host
 * reaches PostgreSQL through HAProxy's write port (the leader) and read port (a replica, else the
 * leader), like the API does.
 *
 * <p>Verbs read like Patroni's own acceptance steps: {@link #killLeader()}, {@link #start},
 * {@link #awaitRole}, {@link #switchover()}; {@link #heal()} brings a cluster a scenario broke back
 * to one leader and one streaming replica, so scenarios can share one lab.
 */
public final class HaCluster implements AutoCloseable {
    public static final int WRITE_PORT = 5000;
    public static final int READ_PORT = 5001;
    private static final Duration POLL = Duration.ofMillis(100);

    private final ClusterSecrets secrets = ClusterSecrets.random();
    private final Network network = Network.newNetwork();
    private final EtcdServer etcd;
    private final List<PatroniNode> nodes;
    private final HaproxyServer haproxy;

    public HaCluster(LabImages images) {
        String patroniImage = PatroniImage.build(images);
        etcd = new EtcdServer(images, network, "etcd");
        nodes = List.of(
                new PatroniNode(patroniImage, network, "pg-1", etcd.internalAddress(), secrets),
                new PatroniNode(patroniImage, network, "pg-2", etcd.internalAddress(), secrets));
        haproxy = HaproxyServer.withConfigFile(images, network, Path.of("haproxy.cfg").toAbsolutePath())
                .withExposedPorts(WRITE_PORT, READ_PORT)
                .waitingFor(Wait.forListeningPort());
    }

    /** Starts everything and returns once HAProxy routes writes to the leader and reads to the replica. */
    public HaCluster start() {
        try {
            etcd.start();
            Startables.deepStart(nodes).join();
            haproxy.start();
            heal();
            return this;
        } catch (RuntimeException | AssertionError e) {
            // Ryuk is off on machines without a registry: nothing else would remove what did start.
            close();
            throw e;
        }
    }

    public PatroniNode leader() {
        return currentLeader().orElseThrow(() -> new IllegalStateException("the cluster has no leader"));
    }

    /** The running replica (the node that is not the leader). */
    public PatroniNode replica() {
        PatroniNode leader = leader();
        return nodes.stream().filter(n -> !n.name().equals(leader.name())).findFirst().orElseThrow();
    }

    public List<PatroniNode> nodes() {
        return nodes;
    }

    /** Hard-kills the leader's container (Patroni and postmaster at once) and returns it. */
    public PatroniNode killLeader() {
        PatroniNode leader = leader();
        leader.kill();
        return leader;
    }

    /** Hard-kills the replica's container and returns it. */
    public PatroniNode killReplica() {
        PatroniNode replica = replica();
        replica.kill();
        return replica;
    }

    /** Starts a killed node's container again. */
    public void start(PatroniNode node) {
        node.startAgain();
    }

    /**
     * Waits until the node has the role; a replica must also be streaming from the leader (Patroni
     * says "replica" already during crash recovery and pg_rewind).
     */
    public void awaitRole(PatroniNode node, Role role, Duration within) {
        await(node + " is " + role, within, () -> node.hasRole(role) && (role == Role.PRIMARY || isStreaming(node)));
    }

    public boolean isInRecovery(PatroniNode node) throws SQLException {
        try (Connection c = node.connectAsSuperuser()) {
            return inRecovery(c);
        }
    }

    /** The replica's WAL receiver is streaming (pg_stat_wal_receiver). */
    public boolean isStreaming(PatroniNode node) {
        try (Connection c = node.connectAsSuperuser(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select status from pg_stat_wal_receiver")) {
            return rs.next() && "streaming".equals(rs.getString(1));
        } catch (SQLException | IllegalStateException e) {
            return false;
        }
    }

    /** The leader's view of a standby: "sync", "async", or "" when it does not stream. */
    public String syncState(PatroniNode standby) throws SQLException {
        try (Connection c = leader().connectAsSuperuser();
             PreparedStatement s = c.prepareStatement("select sync_state from pg_stat_replication"
                     + " where state = 'streaming' and application_name = ?")) {
            s.setString(1, standby.name());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    /**
     * Whether Patroni names the node its synchronous standby (in etcd, which is what a switchover
     * checks) and the leader's PostgreSQL agrees (pg_stat_replication).
     */
    public boolean isSyncStandby(PatroniNode node) {
        try {
            JsonObject cluster = JsonParser.parseString(leader().restGet("/cluster")).getAsJsonObject();
            boolean named = cluster.getAsJsonArray("members").asList().stream()
                    .map(JsonElement::getAsJsonObject)
                    .anyMatch(m -> node.name().equals(m.get("name").getAsString())
                            && "sync_standby".equals(m.get("role").getAsString()));
            return named && "sync".equals(syncState(node));
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * A planned switchover through Patroni's REST API, from the leader to the replica; returns once
     * Patroni reports it done, with the new leader.
     */
    public PatroniNode switchover() throws Exception {
        PatroniNode from = leader();
        PatroniNode to = replica();
        var response = from.restPost("/switchover",
                "{\"leader\":\"" + from.name() + "\",\"candidate\":\"" + to.name() + "\"}");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("switchover refused: " + response.statusCode() + " " + response.body());
        }
        return to;
    }

    /** JDBC URL of HAProxy's write port (the leader). */
    public String writeUrl() {
        return haproxyUrl(WRITE_PORT);
    }

    /** JDBC URL of HAProxy's read port (a replica, else the leader). */
    public String readUrl() {
        return haproxyUrl(READ_PORT);
    }

    /** Host and published port of an HAProxy listener, e.g. for the API's configuration. */
    public String haproxyAddress(int port) {
        return haproxy.getHost() + ":" + haproxy.getMappedPort(port);
    }

    public String apiUser() {
        return secrets.apiUser();
    }

    public String apiPassword() {
        return secrets.apiPassword();
    }

    /** A new connection through HAProxy as the API's role. */
    public Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, secrets.apiUser(), secrets.apiPassword());
    }

    /** pg_is_in_recovery() of whatever server a new connection to this URL reaches. */
    public boolean reachesRecovery(String url) throws SQLException {
        try (Connection c = connect(url)) {
            return inRecovery(c);
        }
    }

    /**
     * Brings the cluster back to a leader and a streaming replica, both behind HAProxy: starts any
     * killed node, waits for the roles, then for HAProxy's checks to route by them.
     */
    public void heal() {
        nodes.stream().filter(n -> !n.isUp()).forEach(this::start);
        await("a leader", Duration.ofSeconds(60), () -> currentLeader().isPresent());
        awaitRole(replica(), Role.REPLICA, Duration.ofSeconds(60));
        await("the replica to be the synchronous standby", Duration.ofSeconds(30), () -> isSyncStandby(replica()));
        await("HAProxy to route by role", Duration.ofSeconds(30), () -> {
            try {
                return !reachesRecovery(writeUrl()) && reachesRecovery(readUrl());
            } catch (SQLException e) {
                return false;
            }
        });
    }

    @Override
    public void close() {
        haproxy.close();
        nodes.forEach(PatroniNode::close);
        etcd.close();
        network.close();
    }

    private Optional<PatroniNode> currentLeader() {
        return nodes.stream().filter(n -> n.isUp() && n.hasRole(Role.PRIMARY)).findFirst();
    }

    private String haproxyUrl(int port) {
        return "jdbc:postgresql://" + haproxyAddress(port) + "/" + ClusterSecrets.DATABASE
                + "?connectTimeout=2&loginTimeout=3&socketTimeout=5&ApplicationName=lab";
    }

    private static boolean inRecovery(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Polls until the condition holds, failing with what was awaited after {@code within}. */
    static void await(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + within.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
