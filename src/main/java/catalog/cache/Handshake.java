package catalog.cache;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;

/**
 * Opens the invalidation feed's connection without ever blocking past a deadline: connect, AUTH
 * when a password is set, CLIENT ID (the id request connections redirect to) and SUBSCRIBE, each
 * on a non-blocking channel watched by a selector. A Redis that accepts the connection and then
 * says nothing (frozen) fails the handshake at its deadline.
 */
final class Handshake {
    private final SocketChannel channel;
    private final Selector selector;
    private final InetSocketAddress address;
    private final RedisLogin login;
    private ByteBuffer in = ByteBuffer.allocate(4096);

    Handshake(SocketChannel channel, Selector selector, InetSocketAddress address, RedisLogin login) {
        this.channel = channel;
        this.selector = selector;
        this.address = address;
        this.login = login;
    }

    /** Connects and subscribes to {@code name}; returns this connection's client id. */
    long subscribe(String name, Duration patience) throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        InetSocketAddress resolved = new InetSocketAddress(address.getHostString(), address.getPort());
        if (resolved.isUnresolved()) {
            throw new IOException("cannot resolve " + address.getHostString());
        }
        SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
        if (!channel.connect(resolved)) {
            while (!channel.finishConnect()) {
                await(deadline);
            }
        }
        key.interestOps(SelectionKey.OP_READ);   // from now on the selector waits for replies
        if (login.password() != null) {
            Object auth = ask(deadline, login.user() == null ? Resp.command("AUTH", login.password())
                    : Resp.command("AUTH", login.user(), login.password()));
            if (auth instanceof Resp.Error error) {
                throw new IOException("Redis refused the invalidation connection's AUTH: " + error.message());
            }
        }
        if (!(ask(deadline, Resp.command("CLIENT", "ID")) instanceof Long id)) {
            throw new IOException("Redis did not answer CLIENT ID with a number");
        }
        Object confirmation = ask(deadline, Resp.command("SUBSCRIBE", name));
        if (!(confirmation instanceof List<?> parts) || !"subscribe".equals(parts.get(0))) {
            throw new IOException("Redis did not confirm the subscription: " + confirmation);
        }
        return id;
    }

    /** Bytes read past the handshake's last reply (messages that followed it), in write mode. */
    ByteBuffer leftover() {
        return in;
    }

    private Object ask(long deadline, ByteBuffer command) throws IOException {
        while (command.hasRemaining()) {
            channel.write(command);
        }
        while (true) {
            in.flip();
            Object reply = Resp.read(in);
            in.compact();
            if (reply != null) {
                return reply;
            }
            if (!in.hasRemaining()) {
                throw new IOException("a handshake reply larger than " + in.capacity() + " bytes");
            }
            int read = channel.read(in);
            if (read < 0) {
                throw new IOException("Redis closed the connection during the handshake");
            }
            if (read == 0) {
                await(deadline);
            }
        }
    }

    private void await(long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new IOException("no answer from Redis at " + address + " within the handshake's deadline");
        }
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
    }
}
