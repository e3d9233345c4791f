package catalog.lab;

import java.net.URI;
import java.nio.file.Path;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.MountableFile;

/**
 * A Redis server without persistence, started by the repository's docker/redis/start.sh as
 * docker-compose starts it (official image and Debian stand-in alike): no anonymous access, the
 * API's user {@code api} limited to what the API does, {@code admin} for the lab's own commands.
 * Passwords are fresh for each server. Can be paused to play a hung server.
 */
public final class RedisServer extends GenericContainer<RedisServer> {
    public static final int PORT = 6379;
    public static final String API_USER = "api";
    private static final String ADMIN_USER = "admin";
    private static final String START_SCRIPT = "/usr/local/etc/redis/start.sh";

    private final String apiPassword = token();
    private final String adminPassword = token();

    public RedisServer(LabImages images) {
        super(images.redis());
        withExposedPorts(PORT);
        withCopyFileToContainer(MountableFile.forHostPath(Path.of("docker/redis/start.sh").toAbsolutePath(), 0755),
                START_SCRIPT);
        withCreateContainerCmdModifier(cmd -> cmd.withUser("redis"));
        withEnv("REDIS_PASSWORD", apiPassword);
        withEnv("REDIS_ADMIN_PASSWORD", adminPassword);
        withCommand("sh", START_SCRIPT);
        waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));
    }

    /** Publishes the port on a fixed free host port, so a stopped server comes back at the same address. */
    public RedisServer withPortKeptAcrossRestarts() {
        return FreePort.publishOn(this, PORT);
    }

    /** {@code redis://api:password@host:port} from the host, as the API's REDIS_URL expects it. */
    public String getRedisUrl() {
        return url(API_USER, apiPassword, getHost(), getMappedPort(PORT));
    }

    /** The API's REDIS_URL for a container that knows this server by {@code alias} on a lab network. */
    public String internalUrl(String alias) {
        return url(API_USER, apiPassword, alias, PORT);
    }

    /** The API's REDIS_URL through another address (a Toxiproxy route in front of this server). */
    public String urlThrough(String host, int port) {
        return url(API_USER, apiPassword, host, port);
    }

    /** The admin's URL from the host: for the lab's own clients, never for the API. */
    public URI adminUri() {
        return adminUriThrough(getHost(), getMappedPort(PORT));
    }

    /** The admin's URL through another address (a proxy in front of this server). */
    public URI adminUriThrough(String host, int port) {
        return URI.create(url(ADMIN_USER, adminPassword, host, port));
    }

    /** Freezes the server: connections stay open, nothing answers (a hung peer). */
    public void pause() {
        DockerClientFactory.instance().client().pauseContainerCmd(getContainerId()).exec();
    }

    public void unpause() {
        DockerClientFactory.instance().client().unpauseContainerCmd(getContainerId()).exec();
    }

    /** Runs a redis-cli command inside the container as the admin and returns its output. */
    public String cli(String... args) {
        return cliAs(ADMIN_USER, adminPassword, args);
    }


    /** Runs a redis-cli command as the API's user: what the API itself may and may not do (errors included). */
    public String cliAsApi(String... args) {
        return cliAs(API_USER, apiPassword, args);
    }

    /** Runs a redis-cli command with no login at all: what anyone on the network gets (errors included). */
    public String cliAnonymous(String... args) {
        return run(args, new String[] {"redis-cli"});
    }

    private String cliAs(String user, String password, String... args) {
        return run(args, new String[] {"redis-cli", "--user", user, "--pass", password, "--no-auth-warning"});
    }

    /** stdout and stderr together: redis-cli writes a refusal to either, depending on the version. */
    private String run(String[] args, String[] prefix) {
        String[] command = new String[prefix.length + args.length];
        System.arraycopy(prefix, 0, command, 0, prefix.length);
        System.arraycopy(args, 0, command, prefix.length, args.length);
        try {
            ExecResult result = execInContainer(command);
            return (result.getStdout() + result.getStderr()).trim();
        } catch (Exception e) {
            throw new IllegalStateException("redis-cli " + String.join(" ", args) + " failed", e);
        }
    }

    private static String url(String user, String password, String host, int port) {
        return "redis://" + user + ":" + password + "@" + host + ":" + port;
    }

    private static String token() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
