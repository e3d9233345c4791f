package catalog.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * New connections to a PostgreSQL port as fast as one client can open them, for a while: each sends
 * an SSLRequest (the first bytes a driver sends), waits up to 0.5 s for the one-byte answer, and
 * closes. Connection pools reconnect the same way after a proxy restarts; the storm makes sure some
 * connection arrives in every moment of a window, so the proxy's log shows where each one went.
 */
public final class ConnectionStorm {
    private static final byte[] SSL_REQUEST = {0, 0, 0, 8, 4, (byte) 0xd2, 0x16, 0x2f};

    private ConnectionStorm() {}

    /** Opens connections to {@code address} (host, port looked up per connection) for {@code duration}; returns how many got an answer. */
    public static int run(Supplier<InetSocketAddress> address, Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        int answered = 0;
        while (System.nanoTime() < end) {
            try (Socket socket = new Socket()) {
                socket.connect(address.get(), 500);
                socket.setSoTimeout(500);
                OutputStream out = socket.getOutputStream();
                out.write(SSL_REQUEST);
                out.flush();
                InputStream in = socket.getInputStream();
                if (in.read() >= 0) {
                    answered++;
                }
            } catch (IOException | RuntimeException e) {
                // refused, held or reset: the proxy's log says which
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return answered;
    }
}
