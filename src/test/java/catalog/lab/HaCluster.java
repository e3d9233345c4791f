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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;

/**
 * The database tier of the lab, as docker-compose runs it: three etcd members, two Patroni nodes
 * ({@code pg-1}, {@code pg-2}) built from the project's Dockerfile and pointed at every etcd member,
 * and two HAProxies running the repository's haproxy.cfg, on one network: no tier dies with one
 * member. The host reaches PostgreSQL through the first HAProxy's write port (the leader) and read
 * port (a replica, else the leader); the API names both HAProxies ({@link #internalUrl}).
 *
 * <p>Verbs read like Patroni's own acceptance steps: {@link #leader()}, {@link #awaitRole},
 * {@link #switchover()}, {@link #awaitHealed}; faults come from {@link #faults()}. {@link #heal()}
 * undoes whatever a scenario broke and waits until the cluster is whole, so scenarios can share one
 * lab.
 */
public final class HaCluster implements AutoCloseable {
    public static final int WRITE_PORT = 5000;
    public static final int READ_PORT = 5001;
    public static final String WRITE_BACKEND = "primary";
    public static final String READ_BACKEND = "replicas";
    /** The members' names on the lab network: docker-compose's, and haproxy.cfg's defaults. */
    private static final List<String> ETCD_NAMES = List.of("etcd-1", "etcd-2", "etcd-3");
    private static final List<String> NODE_NAMES = List.of("pg-1", "pg-2");
    private static final List<String> HAPROXY_NAMES = List.of("haproxy-1", "haproxy-2");

    private final ClusterSecrets secrets = ClusterSecrets.random();
    private final Network network = Network.newNetwork();
    private final Faults faults = new Faults(network);
    private final List<EtcdServer> etcd;
    private final List<PatroniNode> nodes;
    private final List<HaproxyServer> haproxies;

    public HaCluster(LabImages images) {
        String patroniImage = PatroniImage.build(images);
        etcd = EtcdServer.cluster(images, network, ETCD_NAMES);
        String etcdHosts = etcd.stream().map(EtcdServer::internalAddress).collect(Collectors.joining(","));
        nodes = NODE_NAMES.stream().map(name -> new PatroniNode(patroniImage, network, name, etcdHosts, secrets)).toList();
        haproxies = HAPROXY_NAMES.stream().map(name -> haproxy(images, name)).toList();
    }

    private HaproxyServer haproxy(LabImages images, String alias) {
        return HaproxyServer.withConfigFile(images, network, Path.of("haproxy.cfg").toAbsolutePath())
                .withFileBesideConfig(Path.of("haproxy-write-hold.lua").toAbsolutePath())
                .withNetworkAliases(alias)
                .withExposedPorts(WRITE_PORT, READ_PORT)
                .withStatsPage()
                .waitingFor(Wait.forListeningPorts(WRITE_PORT, READ_PORT));
    }

    /** Starts everything and returns once the cluster is healed: a leader, a sync replica, HAProxy routing by role. */
    public HaCluster start() {
        try {
            Startables.deepStart(etcd).join();
            Startables.deepStart(nodes).join();
            Startables.deepStart(haproxies).join();
            awaitHealed(Duration.ofSeconds(90));
            return this;
        } catch (RuntimeException | AssertionError e) {
            // Ryuk is off on machines without a registry: nothing else would remove what did start.
            close();
            throw e;
        }
    }

    public Network network() {
        return network;
    }

    public Faults faults() {
        return faults;
    }

    public List<EtcdServer> etcd() {
        return etcd;
    }

    public List<PatroniNode> nodes() {
        return nodes;
    }

    public List<HaproxyServer> haproxies() {
        return haproxies;
    }

    /** The first HAProxy: the one the host's URLs ({@link #writeUrl()}, {@link #readUrl()}) go through. */
    public HaproxyServer haproxy() {
        return haproxies.get(0);
    }

    public PatroniNode leader() {
        return currentLeader().orElseThrow(() -> new IllegalStateException("the cluster has no leader"));
    }

    /** The replica: with two nodes, the node that is not the leader. */
    public PatroniNode replica() {
        PatroniNode leader = leader();
        return nodes.stream().filter(n -> !n.name().equals(leader.name())).findFirst().orElseThrow();
    }

    /** Hard-kills the leader's container (Patroni and postmaster at once) and returns it. */
    public PatroniNode killLeader() {
        PatroniNode leader = leader();
        faults.kill(leader);
        return leader;
    }

    /**
     * Waits until the node has the role; a replica must also be streaming from the leader (Patroni
     * says "replica" already during crash recovery and pg_rewind).
     */
    public void awaitRole(PatroniNode node, Role role, Duration within) {
        Eventually.until(node + " is " + role, within, () -> node.hasRole(role) && (role == Role.PRIMARY || isStreaming(node)));
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

    /** JDBC URL of the first HAProxy's write port (the leader), from the host. */
    public String writeUrl() {
        return haproxyUrl(WRITE_PORT);
    }

    /** JDBC URL of the first HAProxy's read port (a replica, else the leader), from the host. */
    public String readUrl() {
        return haproxyUrl(READ_PORT);
    }

    /**
     * The JDBC URL a client on the lab network uses (the API's container), naming every HAProxy,
     * e.g. {@code jdbc:postgresql://haproxy-1:5000,haproxy-2:5000/products?loadBalanceHosts=true}.
     * pgjdbc tries the hosts in order; loadBalanceHosts shuffles the order for every new connection,
     * so each pool holds connections through both HAProxies and both paths are in daily use: a dead
     * one costs the connections that went through it (evicted at their next use or check) and is
     * noticed at once, instead of waiting unseen behind the first host until the day it is needed.
     */
    public String internalUrl(int port) {
        return "jdbc:postgresql://" + HAPROXY_NAMES.stream().map(name -> name + ":" + port)
                .collect(Collectors.joining(",")) + "/" + ClusterSecrets.DATABASE + "?loadBalanceHosts=true";
    }

    /** Host and published port of the first HAProxy's listener. */
    public String haproxyAddress(int port) {
        return haproxy().getHost() + ":" + haproxy().currentPort(port);
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
     * What keeps the cluster from being whole right now, or empty when it is healed: exactly one
     * leader, every other node a streaming replica that Patroni and the leader name synchronous,
     * and every HAProxy counting exactly the leader UP for writes and exactly the replicas for reads.
     * Only looks: it changes nothing.
     */
    public Optional<String> unhealed() {
        List<PatroniNode> running = nodes.stream().filter(PatroniNode::isUp).toList();
        if (running.size() < nodes.size()) {
            return Optional.of("not running: " + nodes.stream().filter(n -> !running.contains(n)).toList());
        }
        List<PatroniNode> leaders = running.stream().filter(n -> n.hasRole(Role.PRIMARY)).toList();
        if (leaders.size() != 1) {
            return Optional.of("leaders: " + leaders);
        }
        PatroniNode leader = leaders.get(0);
        List<String> replicas = new ArrayList<>();
        for (PatroniNode node : running) {
            if (node == leader) {
                continue;
            }
            if (!node.hasRole(Role.REPLICA) || !isStreaming(node)) {
                return Optional.of(node + " is not a streaming replica");
            }
            if (!isSyncStandby(node)) {
                return Optional.of(node + " is not the synchronous standby");
            }
            replicas.add(node.name());
        }
        for (HaproxyServer haproxy : haproxies) {
            try {
                List<String> writes = haproxy.upIn(WRITE_BACKEND);
                List<String> reads = haproxy.upIn(READ_BACKEND);
                if (!writes.equals(List.of(leader.name())) || !reads.equals(replicas)) {
                    return Optional.of("HAProxy routes writes to " + writes + " and reads to " + reads);
                }
            } catch (Exception e) {
                return Optional.of("HAProxy's statistics: " + e);
            }
        }
        return Optional.empty();
    }

    /** Waits, without acting, until {@link #unhealed()} finds nothing; fails with the last problem. */
    public void awaitHealed(Duration within) {
        Eventually.until(within, this::unhealed, Optional::isEmpty, "the cluster to heal");
    }

    /** Undoes every fault this lab injected (thaw, reconnect, start) and waits until the cluster is whole. */
    public void heal() {
        faults.undoAll();
        nodes.stream().filter(n -> !n.isUp()).forEach(faults::start);
        awaitHealed(Duration.ofSeconds(90));
    }

    @Override
    public void close() {
        List<Startable> all = new ArrayList<>(haproxies);
        all.addAll(nodes);
        all.addAll(etcd);
        all.forEach(Startable::close);
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
}
