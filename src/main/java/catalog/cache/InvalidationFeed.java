package catalog.cache;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Redis' invalidation messages for the keys this instance read (server-assisted client-side
 * caching, RESP2 form: one connection subscribed to {@code __redis__:invalidate}, and every
 * request connection turned on with {@code CLIENT TRACKING on REDIRECT <this connection's id>}).
 * Redis then tells this connection about every change of a key any of those connections read, by
 * any client, and a FLUSHALL as a null message.
 *
 * <p>The near copies ({@link NearCache}) may be served only while nothing Redis sent can still be
 * unread: {@link #caughtUp()} is the gate a request passes first. It holds when
 * <ul>
 *   <li>the feed is subscribed (a lost connection clears every copy, since its messages are lost);</li>
 *   <li>a PING (one at a time, every {@code heartbeat / 4}) was answered within {@code heartbeat}: Redis answers
 *       a PING after every message it queued before, so a frozen or slow Redis, or a connection
 *       stuck behind a lost packet, closes the gate within that time; {@code heartbeat} is kept
 *       below the Redis timeout, and a write waits up to that timeout for its invalidation, so one
 *       that Redis did not process in time is acknowledged only after the other instances' gates
 *       closed;</li>
 *   <li>no byte is waiting in the socket (checked without reading it, on a selector of the
 *       caller's own) and the feed thread is not between reading bytes and applying them. Redis
 *       queues a writer's invalidation to this connection while it runs the write and sends it in
 *       the same pass of its event loop as the writer's answer: by the time that answer has gone
 *       through the writer and its client to a reader here, the message is in this socket or
 *       applied. (A timing argument, not a round trip: a packet lost between hosts, or Redis
 *       descheduled between those two writes, is bounded by the heartbeat instead.)</li>
 * </ul>
 */
public final class InvalidationFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(InvalidationFeed.class.getName());
    private static final String CHANNEL = "__redis__:invalidate";
    private static final Duration RECONNECT_PAUSE = Duration.ofMillis(100);
    private static final Duration MAX_RECONNECT_PAUSE = Duration.ofSeconds(2);
    /** With no answer to PINGs for this long the connection is presumed dead and opened anew. */
    private static final Duration SILENCE_LIMIT = Duration.ofSeconds(3);
    /**
     * The most one message may hold. Redis' own invalidations list a few keys; a message this big
     * is someone publishing on the channel (Redis' ACL keeps PUBLISH from the API's user, but not
     * from every setup): the connection is dropped instead of buffered, which also drops every
     * near copy, as any lost feed does.
     */
    static final int MAX_MESSAGE_BYTES = 1 << 20;

    /** What the feed's messages change. */
    public interface Listener {
        void dropped(String key);

        /** Every copy is now suspect: a FLUSHALL, or messages were lost with the connection. */
        void droppedAll();
    }

    /** One subscribed connection: the id request connections redirect their invalidations to. */
    public record Subscription(long clientId) {}

    private final InetSocketAddress address;
    private final RedisLogin login;
    private final Listener listener;
    private final long heartbeatNanos;
    private final long pingEveryNanos;
    private final Thread thread;
    private final Set<BacklogCheck> backlogChecks = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<BacklogCheck> backlogCheck = ThreadLocal.withInitial(this::newBacklogCheck);

    private volatile Subscription current;
    private volatile SocketChannel channel;
    private volatile long lastPongNanos;
    /** True from the moment the feed thread may have taken bytes from the socket until it applied them all. */
    private volatile boolean applying;
    private volatile boolean closed;

    /**
     * Starts the feed for the Redis at {@code url} (plain {@code redis://} only: the feed speaks
     * RESP over its own channel, without TLS). {@code heartbeat} must be below the Redis timeout.
     */
    public static InvalidationFeed start(URI url, Duration heartbeat, Listener listener) {
        if (JedisURIHelper.isRedisSSLScheme(url)) {
            throw new IllegalArgumentException("the invalidation feed does not speak TLS (" + url.getScheme() + ")");
        }
        HostAndPort address = JedisURIHelper.getHostAndPort(url);
        return new InvalidationFeed(InetSocketAddress.createUnresolved(address.getHost(), address.getPort()),
                RedisLogin.of(url), heartbeat, listener);
    }

    /**
     * The heartbeat for a Redis timeout: a tenth of it, at most 100 ms. A write waits for its
     * invalidation up to the timeout, so by the time a lost one is acknowledged, every other
     * instance's gate has been shut by the missing PINGs for most of that time.
     */
    public static Duration heartbeatFor(int redisTimeoutMs) {
        return Duration.ofMillis(Math.max(1, Math.min(100, redisTimeoutMs / 10)));
    }

    private InvalidationFeed(InetSocketAddress address, RedisLogin login, Duration heartbeat, Listener listener) {
        this.address = address;
        this.login = login;
        this.listener = listener;
        this.heartbeatNanos = heartbeat.toNanos();
        this.pingEveryNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), heartbeatNanos / 4);
        this.thread = new Thread(this::run, "redis-invalidations");
        thread.setDaemon(true);
        thread.start();
    }

    /** The live subscription, or null while there is none (then no copy may be filled or served). */
    public Subscription current() {
        return current;
    }

    /** True when a near copy may be served now (see the class comment). Cheap: one non-blocking poll. */
    boolean caughtUp() {
        if (current == null || System.nanoTime() - lastPongNanos > heartbeatNanos) {
            return false;
        }
        // The order matters: bytes still in the socket first, then the feed thread's flag. Bytes it
        // took after our poll were taken after it raised the flag, so one of the two checks sees them.
        if (backlogCheck.get().bytesWaiting()) {
            return false;
        }
        return !applying;
    }

    private void run() {
        Duration pause = RECONNECT_PAUSE;
        while (!closed) {
            boolean subscribed = false;
            try (Selector selector = Selector.open(); SocketChannel opened = SocketChannel.open()) {
                Handshake handshake = new Handshake(opened, selector, address, login);
                long clientId = handshake.subscribe(CHANNEL, SILENCE_LIMIT);
                applying = true;   // until the bytes that came with the confirmation are applied
                lastPongNanos = System.nanoTime();
                channel = opened;
                current = new Subscription(clientId);
                subscribed = true;
                pause = RECONNECT_PAUSE;
                LOG.info("cache invalidation feed subscribed (client id " + clientId + ")");
                listen(opened, selector, handshake.leftover());
            } catch (IOException | RuntimeException e) {
                // A lost subscription is news; each failed attempt to get one back is not.
                if (!closed) {
                    LOG.log(subscribed ? Level.WARNING : Level.FINE, "cache invalidation feed "
                            + (subscribed ? "lost" : "not subscribed") + ": " + e + "; near copies dropped");
                }
            } finally {
                lose();
            }
            sleep(pause);
            pause = pause.multipliedBy(2).compareTo(MAX_RECONNECT_PAUSE) < 0 ? pause.multipliedBy(2) : MAX_RECONNECT_PAUSE;
        }
    }

    /** Applies messages as they come and sends the heartbeat, until the connection fails or the feed closes. */
    private void listen(SocketChannel open, Selector selector, ByteBuffer in) throws IOException {
        applyComplete(in);
        applying = in.position() > 0;
        long lastPing = lastPongNanos - pingEveryNanos;   // the first PING goes out at once
        while (!closed) {
            long now = System.nanoTime();
            // One PING at a time: a slow link then carries one, not a queue of them (and a proxy that
            // delays traffic has nothing piled up to flush when the delay is lifted).
            if (lastPongNanos - lastPing >= 0 && now - lastPing >= pingEveryNanos) {
                write(open, Resp.command("PING"));
                lastPing = now;
            }
            if (now - lastPongNanos > SILENCE_LIMIT.toNanos()) {
                throw new IOException("no answer to PING for " + SILENCE_LIMIT.toMillis() + " ms");
            }
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(pingEveryNanos)));
            if (selector.selectedKeys().isEmpty()) {
                continue;
            }
            selector.selectedKeys().clear();
            applying = true;
            try {
                in = readAvailable(open, in);
                applyComplete(in);
            } finally {
                // A message half read keeps the gate closed until its rest arrives.
                applying = in.position() > 0;
            }
        }
    }

    /** Appends what the socket holds to {@code in} (in write mode), growing it when full. */
    private static ByteBuffer readAvailable(SocketChannel open, ByteBuffer in) throws IOException {
        while (true) {
            if (!in.hasRemaining()) {
                if (in.capacity() >= MAX_MESSAGE_BYTES) {
                    throw new IOException("an invalidation message of more than " + MAX_MESSAGE_BYTES
                            + " bytes: not Redis' own, dropping the connection");
                }
                ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
                in.flip();
                bigger.put(in);
                in = bigger;
            }
            int read = open.read(in);
            if (read < 0) {
                throw new IOException("Redis closed the invalidation connection");
            }
            if (read == 0) {
                return in;
            }
        }
    }

    /** Applies every complete message in {@code in} and keeps the incomplete rest at its start. */
    private void applyComplete(ByteBuffer in) {
        in.flip();
        Object message;
        while ((message = Resp.read(in)) != null) {
            apply(message);
        }
        in.compact();
    }

    private void apply(Object message) {
        if (!(message instanceof List<?> parts) || parts.isEmpty()) {
            throw new IllegalStateException("unexpected reply on the invalidation connection: " + message);
        }
        Object kind = parts.get(0);
        if ("pong".equals(kind)) {
            lastPongNanos = System.nanoTime();
        } else if ("message".equals(kind) && parts.size() == 3) {
            if (parts.get(2) instanceof List<?> keys) {
                for (Object key : keys) {
                    listener.dropped(String.valueOf(key));
                }
            } else {
                listener.droppedAll();
            }
        }
    }

    /** The connection is gone: nothing it would have said can be trusted to arrive. */
    private void lose() {
        current = null;
        channel = null;
        listener.droppedAll();
        applying = false;
    }

    private static void write(SocketChannel open, ByteBuffer command) throws IOException {
        while (command.hasRemaining()) {
            if (open.write(command) == 0) {
                throw new IOException("the invalidation connection's send buffer is full");
            }
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private BacklogCheck newBacklogCheck() {
        BacklogCheck made = new BacklogCheck();
        backlogChecks.add(made);
        return made;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        SocketChannel open = channel;
        if (open != null) {
            try {
                open.close();
            } catch (IOException e) {
                // closing on shutdown
            }
        }
        for (BacklogCheck each : backlogChecks) {
            each.close();
        }
        backlogChecks.clear();
    }

    /**
     * A caller thread's own view of the feed's socket: a selector of its own with the socket
     * registered, polled without blocking and without reading, so callers never contend with each
     * other or with the feed thread.
     */
    private final class BacklogCheck {
        private Selector selector;
        private SocketChannel watched;

        boolean bytesWaiting() {
            SocketChannel open = channel;
            if (open == null) {
                return true;
            }
            try {
                if (selector == null) {
                    selector = Selector.open();
                }
                if (watched != open) {
                    selector.selectNow();   // lets go of the key of a closed connection
                    open.register(selector, SelectionKey.OP_READ);
                    watched = open;
                }
                int ready = selector.selectNow();
                selector.selectedKeys().clear();
                return ready > 0;
            } catch (ClosedChannelException e) {
                return true;
            } catch (IOException | RuntimeException e) {
                return true;   // cannot tell: do not trust the copies
            }
        }

        void close() {
            try {
                if (selector != null) {
                    selector.close();
                }
            } catch (IOException e) {
                // closing on shutdown
            }
        }
    }
}
