package catalog.ops;

import java.security.Security;
import java.util.logging.LogManager;

/**
 * The settings this API needs from the JVM itself, applied in one place, before anything reads
 * them: {@code Main.main} calls {@link #apply()} first thing, and the tests that start the API or
 * its HTTP server in-process call it too. They are JVM-wide because the JDK reads each of them
 * once per process (the log format when the first handler is made, the DNS cache policy at the
 * first lookup, the HTTP server's at its first server), so no constructor could set them for its
 * own object only. {@code apply()} is idempotent: it sets a value only where neither the operator
 * (with -D or in java.security) nor an earlier call did, so calling it twice changes nothing.
 */
public final class JvmSettings {
    /** Seconds a resolved address is reused: short, and still one lookup per name per burst of connects. */
    public static final int DNS_TTL_SECONDS = 2;
    /** Seconds a failed lookup is remembered. */
    public static final int DNS_NEGATIVE_TTL_SECONDS = 1;
    /** Seconds a client may take to send its request line, headers and body. */
    public static final int HTTP_MAX_REQUEST_SECONDS = 30;
    /** Seconds from a request's last byte to its answer's last byte written. */
    public static final int HTTP_MAX_RESPONSE_SECONDS = 30;
    /** Seconds an idle keep-alive connection is kept. */
    public static final int HTTP_IDLE_SECONDS = 60;

    private JvmSettings() {}

    public static void apply() {
        oneLineLogRecords();
        followAddressChanges();
        answerWithoutNagleDelay();
        boundRequestReading();
        boundResponseWriting();
        keepIdleConnectionsLongerThanTheFront();
        neverDrainUnreadBodies();
    }

    /**
     * One line per log record (the JDK's default takes two), unless a format was chosen with -D or in
     * the logging configuration file (the tests' logging.properties has its own).
     */
    private static void oneLineLogRecords() {
        String format = "java.util.logging.SimpleFormatter.format";
        if (LogManager.getLogManager().getProperty(format) == null) {
            setUnlessChosen(format, "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
    }

    /**
     * The JVM caches host name lookups: an answer for 30 s, a failed lookup for 10 s. A container
     * that is restarted (Redis, HAProxy, a database node) may come back at another address, and a
     * name that vanished from Docker's DNS while it was down would keep failing for 10 s after it is
     * back; the API must follow within seconds.
     */
    private static void followAddressChanges() {
        if (Security.getProperty("networkaddress.cache.ttl") == null && System.getProperty("sun.net.inetaddr.ttl") == null) {
            Security.setProperty("networkaddress.cache.ttl", Integer.toString(DNS_TTL_SECONDS));
        }
        // The JDK ships java.security with negative.ttl=10: that value is the default, not a choice.
        if ("10".equals(Security.getProperty("networkaddress.cache.negative.ttl"))
                && System.getProperty("sun.net.inetaddr.negative.ttl") == null) {
            Security.setProperty("networkaddress.cache.negative.ttl", Integer.toString(DNS_NEGATIVE_TTL_SECONDS));
        }
    }

    /**
     * The JDK server sends headers and body in separate writes; without TCP_NODELAY, Nagle's
     * algorithm meets the client's delayed ACK and every response waits ~40 ms (measured here: a
     * cache hit took 45 ms instead of 3).
     */
    private static void answerWithoutNagleDelay() {
        setUnlessChosen("sun.net.httpserver.nodelay", "true");
    }

    /**
     * A worker thread reads the request line, headers and body; by default the JDK waits for a
     * client that stops sending forever, so a few slow clients could hold every worker. Past
     * {@link #HTTP_MAX_REQUEST_SECONDS} the connection is closed.
     */
    private static void boundRequestReading() {
        setUnlessChosen("sun.net.httpserver.maxReqTime", Integer.toString(HTTP_MAX_REQUEST_SECONDS));
    }

    /**
     * By default the JDK waits forever for a client that does not read its answer; past
     * {@link #HTTP_MAX_RESPONSE_SECONDS} (handling included: writes have a 2 s deadline, queues a
     * second) the connection is closed and the thread writing it freed.
     */
    private static void boundResponseWriting() {
        setUnlessChosen("sun.net.httpserver.maxRspTime", Integer.toString(HTTP_MAX_RESPONSE_SECONDS));
    }

    /**
     * An idle keep-alive connection costs a socket and no thread. The server keeps one for
     * {@link #HTTP_IDLE_SECONDS} (the JDK's default is 30 s), longer than the HTTP front keeps its
     * own idle connections to the API, so the front closes first and never sends a request on a
     * connection the server is closing at that moment.
     */
    private static void keepIdleConnectionsLongerThanTheFront() {
        setUnlessChosen("sun.net.httpserver.idleInterval", Integer.toString(HTTP_IDLE_SECONDS));
    }

    /**
     * When an exchange closes before its request body was read (a 401, a 503 from a full queue, a
     * 413), the JDK reads and discards up to this many bytes so the connection can be reused,
     * blocking the closing thread while it waits for them: 64 KiB by default, so a client that sent
     * one byte of its body stalled the thread answering it until the request time ran out (measured:
     * 200 such clients made every other client's GET time out). Any non-zero amount can block, so
     * the JDK drains none: {@code http.BodyDrain} reads the rest on a drainer thread for at most
     * 100 ms, so a body sent at network speed keeps its connection and no answering thread waits.
     */
    private static void neverDrainUnreadBodies() {
        setUnlessChosen("sun.net.httpserver.drainAmount", "0");
    }

    private static void setUnlessChosen(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
