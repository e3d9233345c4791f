package catalog.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;

/**
 * What is left of a request body when its answer is ready. The JDK server keeps a connection for
 * the next request only once the body was read to its end, and would read the rest itself, waiting
 * for a client that may never send it; here it never waits ({@code catalog.ops.JvmSettings} sets
 * its drain amount to 0). So before answering, the bytes that have already arrived are consumed
 * without waiting: a request without a body, or a short refused body (a 401 on a small POST), keeps
 * its connection; a body still on its way (a slow or hostile client) gets its connection closed
 * after the answer, and no thread waits for it longer than {@link #LINGER_NANOS}.
 *
 * <p>That short wait is for a client still sending a body that was refused before it was read (a
 * 413 past the size limit, a 401 on a large POST): a connection closed with unread bytes in the
 * kernel's buffer is reset, and the reset can destroy the answer before the client reads it (seen:
 * "header parser received no bytes" instead of the 413). A body that arrives at the speed of a
 * network is read within it; a trickling one costs a refusing thread at most this long.
 */
final class UnreadBody {
    /** At most this much already-buffered body is read and discarded to keep a connection. */
    private static final int KEEP_ALIVE_BUDGET = 64 * 1024;
    /** How long a declared body that is still arriving is waited for (polling, never a blocking read). */
    private static final long LINGER_NANOS = 50_000_000L;

    private static final String READ = UnreadBody.class.getName() + ".read";
    private static final String ENDED = UnreadBody.class.getName() + ".ended";

    private UnreadBody() {}

    /** What a handler read of the body: {@code read} bytes, to its end or not (RequestBody calls it). */
    static void record(HttpExchange exchange, long read, boolean ended) {
        exchange.setAttribute(READ, read);
        exchange.setAttribute(ENDED, ended);
    }

    static void consumeArrived(HttpExchange exchange) {
        if (Boolean.TRUE.equals(exchange.getAttribute(ENDED))) {
            return;   // read to its end by the handler: nothing left
        }
        try {
            InputStream in = exchange.getRequestBody();
            String declared = exchange.getRequestHeaders().getFirst("Content-Length");
            boolean chunked = exchange.getRequestHeaders().containsKey("Transfer-Encoding");
            long length = chunked ? -1 : declared == null ? 0 : Long.parseLong(declared.trim());
            long consumed = exchange.getAttribute(READ) instanceof Long read ? read : 0;
            if (length >= 0 && length - consumed > KEEP_ALIVE_BUDGET) {
                return;   // too much left to read for a connection: closed after the answer
            }
            byte[] buffer = new byte[4096];
            long discarded = 0;
            long lingerUntil = System.nanoTime() + LINGER_NANOS;
            while (discarded < KEEP_ALIVE_BUDGET && (length < 0 || consumed < length)) {
                int available = in.available();
                if (available <= 0) {
                    if (System.nanoTime() > lingerUntil) {
                        return;   // still arriving: closed after the answer, nobody waits for it
                    }
                    Thread.sleep(1);
                    continue;
                }
                int read = in.read(buffer, 0, Math.min(buffer.length, available));
                if (read < 0) {
                    return;
                }
                consumed += read;
                discarded += read;
            }
            // Reading at the end returns -1 at once and marks the body read; before the end it
            // would wait, so only when every declared byte is known to be here (or there were none).
            if (length >= 0 && consumed >= length) {
                in.read();
            }
        } catch (IOException | NumberFormatException e) {
            // the client went away, or declared nonsense: the connection is closed after the answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
