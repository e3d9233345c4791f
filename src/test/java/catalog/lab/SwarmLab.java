package catalog.lab;

import catalog.ApiClient;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * docker-stack.yml deployed as the docs say on a Swarm of three hosts on this machine: three
 * Docker-in-Docker hosts ({@link SwarmHost}) on a network of their own, all three managers (a
 * majority stands when one is lost), the project's images loaded into each without a registry, the
 * nodes labelled, the secrets created by scripts/stack-secrets.sh, and the stack deployed with
 * {@code docker stack deploy --resolve-image never}. The labels put one database node, one etcd
 * member, one HAProxy and one API instance on each of the first two hosts, and etcd-3 and Redis on
 * the third; a front runs on every host. Everything carries the label {@code org.testcontainers=true},
 * so CI's teardown removes what a crashed run left; {@link #close()} removes it otherwise.
 */
public final class SwarmLab implements AutoCloseable {
    /** The stack's name: service {@code pg-1} is {@code products_pg-1} on the hosts. */
    public static final String STACK = "products";
    private static final List<String> STACK_FILES = List.of("docker-stack.yml", "haproxy.cfg", "haproxy-write-hold.lua", "front.cfg",
            "docker/redis/start.sh", "docker/swarm/file-env.sh", "scripts/stack-secrets.sh");
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);
    private static final List<String> ETCD_MEMBERS = List.of("etcd-1", "etcd-2", "etcd-3");
    /** Node labels per host, as docs/several-hosts.md sets them. */
    private static final List<List<String>> LABELS = List.of(
            List.of("db=a", "etcd=1", "app=1", "edge=true"),
            List.of("db=b", "etcd=2", "app=2", "edge=true"),
            List.of("etcd=3", "cache=true", "edge=true"));

    private final String name = "products-hosts-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> labels = Map.of("org.testcontainers", "true", "catalog.lab", "hosts");
    private final List<SwarmHost> hosts = new ArrayList<>();
    private final Map<String, String> stackEnvironment;
    private boolean networkCreated;

    private SwarmLab(LabImages images) {
        stackEnvironment = Map.of(
                LabImages.Service.ETCD.variable, images.etcd().asCanonicalNameString(),
                LabImages.Service.HAPROXY.variable, images.haproxy().asCanonicalNameString(),
                LabImages.Service.REDIS.variable, images.redis().asCanonicalNameString());
    }

    /**
     * Builds the project's images (docker-compose build, as {@link ComposeStack} does), starts the
     * three hosts and deploys the stack; returns once every service runs and the front answers on
     * every host. Needs target/products-api.jar.
     */
    public static SwarmLab start(LabImages images) throws IOException, InterruptedException {
        SwarmLab lab = new SwarmLab(images);
        try {
            List<String> loaded = lab.buildImages(images);
            lab.startHosts(images.image(LabImages.Service.SWARM_NODE).asCanonicalNameString());
            lab.formSwarm();
            lab.loadImages(loaded);
            lab.deploy();
            return lab;
        } catch (RuntimeException | IOException | InterruptedException e) {
            lab.close();
            throw e;
        }
    }

    private List<String> buildImages(LabImages images) throws IOException, InterruptedException {
        Map<String, String> environment = new java.util.HashMap<>(stackEnvironment);
        environment.put(LabImages.Service.POSTGRES.variable, images.postgres().asCanonicalNameString());
        environment.put(LabImages.Service.JRE.variable, images.jre().asCanonicalNameString());
        if (!java.nio.file.Files.isRegularFile(java.nio.file.Path.of("target/products-api.jar"))) {
            throw new IllegalStateException("target/products-api.jar is missing: the API image copies it. "
                    + "Run `mvn package` (mvn verify does) before this test.");
        }
        Commands.run(List.of("docker-compose", "-p", name, "-f", "docker-compose.yml", "build", "pg-1", "api-1"),
                environment, Duration.ofMinutes(15));
        List<String> loaded = new ArrayList<>(List.of("products/patroni:local", "products/api:local"));
        loaded.addAll(stackEnvironment.values());
        return loaded;
    }

    private void startHosts(String image) throws IOException, InterruptedException {
        try {
            Commands.run(List.of("docker", "image", "inspect", image), Map.of(), COMMAND_TIMEOUT);
        } catch (IllegalStateException missing) {
            throw new IllegalStateException("Image " + image + " (SWARM_NODE_IMAGE), a host of the multi-host lab, is not on "
                    + "this machine. Run `bash scripts/offline-images.sh` (it builds it from docker/standin/swarm-node) "
                    + "and load its env file (`set -a; . .lab/images.env; set +a`).", missing);
        }
        // Fixed addresses, so that a killed host comes back under the one its Swarm peers know it by;
        // Docker allows them only in a subnet given by hand: the one it picks for a network of its
        // own choosing, asked for again explicitly.
        String subnet = createNetwork(List.of());
        Commands.run(List.of("docker", "network", "rm", name), Map.of(), COMMAND_TIMEOUT);
        createNetwork(List.of("--subnet", subnet));
        String prefix = subnet.substring(0, subnet.lastIndexOf('.') + 1);
        for (int n = 1; n <= LABELS.size(); n++) {
            hosts.add(SwarmHost.run(image, name + "-node-" + n, "node-" + n, name, prefix + (10 + n), labels));
        }
    }

    /** Creates the lab network; returns its subnet. */
    private String createNetwork(List<String> options) throws IOException, InterruptedException {
        List<String> create = new ArrayList<>(List.of("docker", "network", "create"));
        labels.forEach((k, v) -> create.addAll(List.of("--label", k + "=" + v)));
        create.addAll(options);
        create.add(name);
        Commands.run(create, Map.of(), COMMAND_TIMEOUT);
        networkCreated = true;
        return Commands.run(List.of("docker", "network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", name),
                Map.of(), COMMAND_TIMEOUT).trim();
    }

    private void formSwarm() throws IOException, InterruptedException {
        SwarmHost first = hosts.get(0);
        first.docker("swarm", "init", "--advertise-addr", first.address());
        String token = first.docker("swarm", "join-token", "-q", "manager").trim();
        for (SwarmHost host : hosts.subList(1, hosts.size())) {
            host.docker("swarm", "join", "--advertise-addr", host.address(), "--token", token, first.address() + ":2377");
        }
        for (int n = 0; n < hosts.size(); n++) {
            List<String> update = new ArrayList<>(List.of("node", "update"));
            LABELS.get(n).forEach(label -> update.addAll(List.of("--label-add", label)));
            update.add(hosts.get(n).hostname());
            first.docker(update.toArray(String[]::new));
        }
    }

    /** No registry: each host gets the images by docker save | docker load, the three at once. */
    private void loadImages(List<String> images) throws InterruptedException {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(hosts.size());
        try {
            List<java.util.concurrent.Callable<Void>> loads = hosts.stream().<java.util.concurrent.Callable<Void>>map(host -> () -> {
                host.load(images);
                return null;
            }).toList();
            for (java.util.concurrent.Future<Void> load : pool.invokeAll(loads)) {
                load.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("loading the images into the hosts failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The API key secret is the spec's development key (every lab's API takes it: its clients write
     * with it); scripts/stack-secrets.sh then creates every other secret with a random value.
     */
    private void deploy() throws IOException, InterruptedException {
        SwarmHost first = hosts.get(0);
        first.copy(STACK_FILES, "/stack");
        first.shell("printf '%s' '" + ApiClient.DEV_KEYS + "' | docker secret create api_keys - >/dev/null");
        first.shell("cd /stack && bash scripts/stack-secrets.sh >/dev/null");
        StringBuilder exports = new StringBuilder("cd /stack");
        stackEnvironment.forEach((k, v) -> exports.append(" && export ").append(k).append('=').append(v));
        first.shell(exports + " && docker stack deploy --resolve-image never -c docker-stack.yml " + STACK);
    }

    public List<SwarmHost> hosts() {
        return List.copyOf(hosts);
    }

    /** The host a service is placed on by its labels: pg-1, etcd-1, haproxy-1 and api-1 on the first, and so on. */
    public SwarmHost hostOf(String service) {
        char member = service.charAt(service.length() - 1);
        return switch (service) {
            case "redis" -> hosts.get(2);
            default -> hosts.get(member - '1');
        };
    }

    /** The front published on a host (host mode, port 3000 of its address). */
    public URI frontOn(SwarmHost host) {
        return URI.create("http://" + host.address() + ":3000");
    }

    /** The hosts other than {@code host}. */
    public List<SwarmHost> othersThan(SwarmHost host) {
        return hosts.stream().filter(h -> h != host).toList();
    }

    /**
     * Runs a command in the running task of a service on the host its labels put it on, e.g.
     * {@code psql} in pg-1; fails when the service has no running task there.
     */
    public String inTask(String service, String command) throws IOException, InterruptedException {
        return hostOf(service).shell("c=$(docker ps -q -f status=running -f label=com.docker.swarm.service.name="
                + STACK + "_" + service + " | head -1); [ -n \"$c\" ] || { echo 'no running task of " + service
                + "' >&2; exit 3; }; docker exec -i \"$c\" " + command);
    }

    /** SQL as the superuser through the node's socket; returns psql's unaligned output. */
    public String sql(String pg, String statement) throws IOException, InterruptedException {
        return inTask(pg, "psql -U postgres -d products -tAXc \"" + statement.replace("\"", "\\\"") + "\"").trim();
    }

    /** True when this PostgreSQL is out of recovery (a primary); throws when it cannot be asked. */
    public boolean isPrimary(String pg) throws IOException, InterruptedException {
        return "f".equals(sql(pg, "select pg_is_in_recovery()"));
    }

    /**
     * The Patroni node that holds the leader key, when the two nodes agree on it: it answers 200 on
     * /primary (running as primary with the lock, in its own view) and the other does not. One
     * node's view alone may be out of date, and a row that kills "the leader's host" would then kill
     * the replica's (CI run 25 found no promotion after the loss and could not say which host it had
     * lost); so while both answer 200, none leads here.
     */
    public Optional<String> leader() {
        List<String> primaries = List.of("pg-1", "pg-2").stream().filter(pg -> answers(pg, "/primary")).toList();
        return primaries.size() == 1 ? Optional.of(primaries.get(0)) : Optional.empty();
    }

    /** Whether a node's Patroni answers 200 on {@code path} (/primary, /replica); false when it cannot be asked. */
    private boolean answers(String pg, String path) {
        try {
            return "200".equals(inTask(pg, "curl -s -o /dev/null -w %{http_code} http://localhost:8008" + path).trim());
        } catch (IllegalStateException | IOException | InterruptedException unreachable) {
            if (unreachable instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    /**
     * The etcd member that is the Raft leader now, asked of every member through etcd's gateway
     * (maintenance status) from a database node's task, which is on etcd's network and has curl.
     */
    public Optional<String> etcdLeader() throws IOException, InterruptedException {
        for (String member : ETCD_MEMBERS) {
            JsonObject status = etcdStatus(member);
            if (status != null && status.has("leader")
                    && status.get("leader").getAsString().equals(status.getAsJsonObject("header").get("member_id").getAsString())) {
                return Optional.of(member);
            }
        }
        return Optional.empty();
    }

    /**
     * Makes {@code member} the Raft leader (etcd's MoveLeader, asked of the current leader) and
     * waits until it says it leads. A host row uses it to lose etcd's leader with the host.
     */
    public void moveEtcdLeaderTo(String member) throws IOException, InterruptedException {
        String leader = etcdLeader().orElseThrow(() -> new IllegalStateException("etcd has no leader"));
        if (!leader.equals(member)) {
            JsonObject status = etcdStatus(member);
            if (status == null) {
                throw new IllegalStateException(member + " does not answer etcd's maintenance status");
            }
            String target = status.getAsJsonObject("header").get("member_id").getAsString();
            etcdCall(leader, "/v3/maintenance/transfer-leadership", "{\"targetID\":\"" + target + "\"}");
        }
        Eventually.until("etcd led by " + member, Duration.ofSeconds(20), () -> etcdLeader().equals(Optional.of(member)));
    }

    private JsonObject etcdStatus(String member) throws IOException, InterruptedException {
        try {
            return JsonParser.parseString(etcdCall(member, "/v3/maintenance/status", "{}")).getAsJsonObject();
        } catch (IllegalStateException | com.google.gson.JsonParseException unanswered) {
            return null;
        }
    }

    private String etcdCall(String member, String path, String body) throws IOException, InterruptedException {
        String asker = leader().orElse("pg-1");
        return inTask(asker, "curl -s -m 2 -X POST -d '" + body + "' http://" + member + ":2379" + path);
    }

    /** The other database node. */
    public static String peerOf(String pg) {
        return pg.equals("pg-1") ? "pg-2" : "pg-1";
    }

    /**
     * When a node's tasks of a service logged a line containing {@code text} since {@code since}
     * (every task container of the service on its host, the dead ones too), if one did.
     */
    public Optional<Instant> logged(String service, Instant since, String text) throws IOException, InterruptedException {
        return loggedLines(service, since, "-F '" + text + "'").stream().map(SwarmLab::loggedAt)
                .flatMap(Optional::stream).min(Instant::compareTo);
    }

    /**
     * The lines a service's tasks logged since {@code since} that {@code grep} selects, each starting
     * with the engine's timestamp; {@code grepArguments} is the shell text after {@code grep} (e.g.
     * {@code -E 'a|b'}, and it may pipe on, e.g. {@code | grep -v c}).
     */
    public List<String> loggedLines(String service, Instant since, String grepArguments) throws IOException, InterruptedException {
        return loggedLines(hostOf(service), service, since, grepArguments);
    }

    /** {@link #loggedLines(String, Instant, String)} of a service's tasks on {@code host}: a front's, say. */
    public List<String> loggedLines(SwarmHost host, String service, Instant since, String grepArguments)
            throws IOException, InterruptedException {
        String out = host.shell("for c in $(docker ps -aq -f label=com.docker.swarm.service.name=" + STACK + "_"
                + service + "); do docker logs -t --since " + since + " $c 2>&1; done | grep " + grepArguments + " || true");
        return out.lines().filter(line -> !line.isBlank()).sorted().toList();
    }

    /** The engine's timestamp a {@link #loggedLines} line starts with, if it has one. */
    public static Optional<Instant> loggedAt(String line) {
        return instant(line.split(" ", 2)[0]);
    }

    private static Optional<Instant> instant(String timestamp) {
        try {
            return Optional.of(Instant.parse(timestamp));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Waits until the stack is whole: every service's tasks running on their hosts, a leader with its
     * replica streaming (and running as a replica by its own Patroni), and the front answering
     * {@code /health} 200 on every host.
     */
    public Duration awaitWhole(Duration within) {
        long started = System.nanoTime();
        Eventually.until("the stack whole on three hosts", within, this::whole);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private boolean whole() throws IOException, InterruptedException {
        String leader = leader().orElse(null);
        if (leader == null || !answers(peerOf(leader), "/replica")
                || !"1".equals(sql(leader, "select count(*) from pg_stat_replication where state = 'streaming'"))) {
            return false;
        }
        // "1/1", "3/3": tasks running of tasks wanted, for every service.
        for (String replicas : hosts.get(0).docker("service", "ls", "--format", "{{.Replicas}}").trim().split("\\s+")) {
            String[] counts = replicas.split("/");
            if (counts.length != 2 || !counts[0].equals(counts[1]) || counts[0].equals("0")) {
                return false;
            }
        }
        for (SwarmHost host : hosts) {
            if (new ApiClient(frontOn(host), Duration.ofSeconds(2)).get("/health").status() != 200) {
                return false;
            }
        }
        return true;
    }

    /** Removes the hosts (and with them every task, volume and image inside) and the network. */
    @Override
    public void close() throws IOException, InterruptedException {
        for (SwarmHost host : hosts) {
            host.remove();
        }
        if (networkCreated) {
            Commands.run(List.of("docker", "network", "rm", name), Map.of(), COMMAND_TIMEOUT);
        }
    }
}
