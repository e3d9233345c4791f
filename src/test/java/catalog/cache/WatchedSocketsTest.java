package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.deadline.DeadlineTimer;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

class WatchedSocketsTest {
    private final DeadlineTimer deadlines = new DeadlineTimer(5, TimeUnit.MILLISECONDS, "test-deadlines");

    @AfterEach
    void stop() {
        deadlines.close();
    }

    @Test
    @DisplayName("a rediss:// socket checks that the server's certificate names the URL's host, as HTTPS does")
    void tlsVerifiesTheHostName() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            WatchedSockets sockets = new WatchedSockets(new HostAndPort("localhost", server.getLocalPort()), true, 1000, deadlines);
            try (Socket socket = sockets.createSocket()) {
                assertThat(socket).isInstanceOf(SSLSocket.class);
                assertThat(((SSLSocket) socket).getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
            }
        }
    }

    @Test
    @DisplayName("a redis:// socket is plain TCP")
    void plainIsPlain() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            WatchedSockets sockets = new WatchedSockets(new HostAndPort("localhost", server.getLocalPort()), false, 1000, deadlines);
            try (Socket socket = sockets.createSocket()) {
                assertThat(socket).isNotInstanceOf(SSLSocket.class);
            }
        }
    }
}
