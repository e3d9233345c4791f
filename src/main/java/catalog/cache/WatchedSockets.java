package catalog.cache;

import catalog.deadline.DeadlineTimer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Opens Redis sockets the way Jedis' default factory does (same options, every resolved address
 * in turn, TLS wrapped over the plain socket), but hands each socket to the {@link DeadlineTimer}
 * before connecting: a connect to a black-holed address is aborted at the call's deadline like a
 * read, instead of waiting for the connect timeout alone. With TLS the server's certificate must
 * name the host of the URL (HTTPS' rule), which Jedis' default factory does not check: a
 * certificate that chains to a trusted root is not enough.
 */
final class WatchedSockets implements JedisSocketFactory {
    private final HostAndPort address;
    private final boolean tls;
    private final int timeoutMs;
    private final DeadlineTimer deadlines;

    /** {@code timeoutMs} is the sockets' own connect and read timeout: a backstop behind the deadline timer. */
    WatchedSockets(HostAndPort address, boolean tls, int timeoutMs, DeadlineTimer deadlines) {
        this.address = address;
        this.tls = tls;
        this.timeoutMs = timeoutMs;
        this.deadlines = deadlines;
    }

    @Override
    public Socket createSocket() {
        JedisConnectionException failure = new JedisConnectionException("Failed to connect to " + address + ".");
        InetAddress[] candidates;
        try {
            candidates = InetAddress.getAllByName(address.getHost());
        } catch (IOException e) {
            failure.addSuppressed(e);
            throw failure;
        }
        for (InetAddress candidate : candidates) {
            Socket socket = new Socket();
            try {
                socket.setReuseAddress(true);
                socket.setKeepAlive(true);
                socket.setTcpNoDelay(true);
                socket.setSoLinger(true, 0);
                deadlines.guardCurrent(socket);
                socket.connect(new InetSocketAddress(candidate, address.getPort()), timeoutMs);
                socket.setSoTimeout(timeoutMs);
                if (!tls) {
                    return socket;
                }
                SSLSocket secure = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(socket, address.getHost(), address.getPort(), true);
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(parameters);
                deadlines.guardCurrent(secure);
                return secure;
            } catch (IOException e) {
                closeQuietly(socket);
                failure.addSuppressed(e);
            }
        }
        throw failure;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already failed; nothing more to release
        }
    }
}
