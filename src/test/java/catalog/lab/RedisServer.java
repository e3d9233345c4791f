package catalog.lab;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A Redis server without persistence, started with an explicit {@code redis-server} command
 * (official image and Debian stand-in alike). Can be paused to play a hung server.
 */
public final class RedisServer extends GenericContainer<RedisServer> {
    public static final int PORT = 6379;

    public RedisServer(LabImages images) {
        super(images.redis());
        withExposedPorts(PORT);
        withCommand("redis-server", "--port", String.valueOf(PORT), "--protected-mode", "no",
                "--save", "", "--appendonly", "no");
        waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));
    }

    /** Publishes the port on a fixed free host port, so a stopped server comes back at the same address. */
    public RedisServer withPortKeptAcrossRestarts() {
        return FreePort.publishOn(this, PORT);
    }

    /** {@code redis://host:port} as the API's REDIS_URL expects it. */
    public String getRedisUrl() {
        return "redis://" + getHost() + ":" + getMappedPort(PORT);
    }

    /** Freezes the server: connections stay open, nothing answers (a hung peer). */
    public void pause() {
        DockerClientFactory.instance().client().pauseContainerCmd(getContainerId()).exec();
    }

    public void unpause() {
        DockerClientFactory.instance().client().unpauseContainerCmd(getContainerId()).exec();
    }

    /** Runs a redis-cli command inside the container and returns its output. */
    public String cli(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "redis-cli";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            return execInContainer(command).getStdout().trim();
        } catch (Exception e) {
            throw new IllegalStateException("redis-cli " + String.join(" ", args) + " failed", e);
        }
    }
}
