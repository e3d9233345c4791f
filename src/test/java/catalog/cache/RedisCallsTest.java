package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ops.Config;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;

/**
 * The timeout of Redis calls made on the caller's thread, against a peer that accepts connections
 * and never answers (a hung Redis: what a Jedis read then blocks on) and a closed port.
 */
class RedisCallsTest {
    private final CacheMetrics metrics = new CacheMetrics();
    private final List<Socket> accepted = new ArrayList<>();
    private ServerSocket hung;
    private RedisCalls calls;

    @AfterEach
    void close() throws IOException {
        if (calls != null) {
            calls.close();
        }
        if (hung != null) {
            hung.close();
        }
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    /** Accepts every connection, reads nothing, answers nothing. */
    private URI hungRedis() throws IOException {
        hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!hung.isClosed()) {
                try {
                    accepted.add(hung.accept());
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return URI.create("redis://127.0.0.1:" + hung.getLocalPort());
    }

    private static RedisOutcome<Object> ping(RedisCalls calls) {
        return calls.call(redis -> redis.executeCommand(Protocol.Command.PING));
    }

    @Test
    @DisplayName("a call to a Redis that never answers times out at the deadline, not at the socket timeout")
    void hungRedisTimesOut() throws IOException {
        calls = new RedisCalls(new Config.Redis(hungRedis(), 200, 1), 1, metrics);

        long start = System.nanoTime();
        RedisOutcome<Object> outcome = ping(calls);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(outcome.kind()).isEqualTo(RedisOutcome.Kind.TIMEOUT);
        // The socket timeout is twice the deadline (400 ms): ending well before it proves the deadline timer.
        assertThat(elapsedMs).isBetween(195L, 350L);
        assertThat(metrics.timeouts()).isEqualTo(1);
    }

    @Test
    @DisplayName("every call to a hung Redis is bounded, also on a fresh connection after an aborted one")
    void everyCallBounded() throws IOException {
        calls = new RedisCalls(new Config.Redis(hungRedis(), 100, 1), 1, metrics);

        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            assertThat(ping(calls).kind()).isEqualTo(RedisOutcome.Kind.TIMEOUT);
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(95L, 190L);
        }
        assertThat(metrics.timeouts()).isEqualTo(5);
    }

    @Test
    @DisplayName("a refused connection is an error at once, never an exception for the caller")
    void refusedIsAnError() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        calls = new RedisCalls(new Config.Redis(URI.create("redis://127.0.0.1:" + closedPort), 1000, 1), 1, metrics);

        long start = System.nanoTime();
        RedisOutcome<Object> outcome = ping(calls);

        assertThat(outcome.kind()).isEqualTo(RedisOutcome.Kind.ERROR);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500L);
        assertThat(metrics.errors()).isEqualTo(1);
    }

    @Test
    @DisplayName("when the fill queue is full a fill is refused at once")
    void fullFillQueueRejects() throws Exception {
        calls = new RedisCalls(new Config.Redis(hungRedis(), 10_000, 1), 1, metrics);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Runnable stuck = () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        assertThat(calls.submit(stuck)).isTrue();    // the fill thread
        assertThat(calls.submit(() -> { })).isTrue(); // the queue's one place

        assertThat(calls.submit(() -> { })).isFalse();
        assertThat(metrics.rejected()).isEqualTo(1);
        release.countDown();
    }
}
