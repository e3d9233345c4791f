package catalog.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What is left of a request body when its answer is ready (a 401 or 404 answered before the body
 * was read, a 413 past the size limit), read to its end before the answer is sent, so the
 * connection can carry the client's next request.
 *
 * <p>The JDK server would drain it itself on close, blocking the closing thread for as long as a
 * client takes to send it (its drain amount, 64 KiB by default): a client that sent one byte of its
 * body held that thread until the request time ran out. So the JDK drains nothing
 * ({@code catalog.ops.JvmSettings}) and the rest is read here, by a thread of a small pool of
 * drainers, for at most {@link #WAIT_MS}: a body that arrives at the speed of a network is read
 * within it; a trickling one is left to its drainer (freed when the server closes the connection)
 * and the answer says {@code Connection: close}. Not reading it is no option: {@code available()}
 * does not see bytes still in the socket, and closing a connection with unread bytes resets it,
 * which can destroy the answer before the client reads it and fails its next request on a reused
 * connection (measured with the JDK's own client: a quarter of refused POSTs failed so).
 */
final class BodyDrain implements AutoCloseable {
    /** At most this much unread body is read to keep a connection. */
    private static final int BUDGET = 64 * 1024;
    /** How long the answering thread waits for the rest of a body. */
    private static final long WAIT_MS = 100;
    /** Drainers at once; past them a body still unread gets its connection closed. */
    private static final int DRAINERS = 16;

    private final ThreadPoolExecutor drainers;

    BodyDrain() {
        AtomicInteger count = new AtomicInteger();
        drainers = new ThreadPoolExecutor(0, DRAINERS, 5, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "body-drain-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Reads the rest of the body within {@link #WAIT_MS}; true when the body is read to its end, so
     * the connection may carry the next request. When false the server closes the connection after
     * the answer, and the caller says so in the answer ({@code Connection: close}).
     */
    boolean finish(HttpExchange exchange) {
        InputStream in = exchange.getRequestBody();
        CountedBody counted = in instanceof CountedBody body ? body : null;
        if (counted != null && counted.ended()) {
            return true;   // the handler read it to its end
        }
        try {
            String declared = exchange.getRequestHeaders().getFirst("Content-Length");
            boolean chunked = exchange.getRequestHeaders().containsKey("Transfer-Encoding");
            long read = counted == null ? 0 : counted.bytesRead();
            long left = chunked ? BUDGET : declared == null ? 0 : Long.parseLong(declared.trim()) - read;
            if (left > BUDGET) {
                return false;   // too much to read for a connection
            }
            if (left <= 0 && !chunked) {
                return in.read() < 0;   // nothing left: at the end, read returns at once and marks the body read
            }
            Future<Boolean> drained = drainers.submit(() -> readToEnd(in));
            return drained.get(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | RejectedExecutionException | ExecutionException | IOException | NumberFormatException e) {
            return false;   // still arriving, every drainer busy, the client gone, or nonsense declared
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean readToEnd(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        long total = 0;
        while (total <= BUDGET) {
            int n = in.read(buffer);
            if (n < 0) {
                return true;
            }
            total += n;
        }
        return false;
    }

    @Override
    public void close() {
        drainers.shutdownNow();
    }
}
