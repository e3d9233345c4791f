package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.deadline.DeadlineTimer;
import java.io.IOException;
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
    void stop() throws IOException {
        deadlines.close();
        server.close();
    }

    private final ServerSocket server = new ServerSocket(0);

    WatchedSocketsTest() throws IOException {
    }

    /** A socket to the local server; TLS is not handshaken before the first read or write. */
    private Socket connect(boolean tls) {
        return new WatchedSockets(new HostAndPort("localhost", server.getLocalPort()), tls, 1000, deadlines).createSocket();
    }

    @Test
    @DisplayName("a rediss:// socket checks that the server's certificate names the URL's host, as HTTPS does")
    void tlsVerifiesTheHostName() throws Exception {
        try (Socket socket = connect(true)) {
            assertThat(socket).isInstanceOf(SSLSocket.class);
            assertThat(((SSLSocket) socket).getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        }
    }

    @Test
    @DisplayName("a redis:// socket is plain TCP")
    void plainIsPlain() throws Exception {
        try (Socket socket = connect(false)) {
            assertThat(socket).isNotInstanceOf(SSLSocket.class);
        }
    }
}
