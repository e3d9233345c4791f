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
 * after the answer, and no thread waits for it.
 */
final class UnreadBody {
    /** At most this much already-buffered body is read and discarded to keep a connection. */
    private static final int KEEP_ALIVE_BUDGET = 64 * 1024;

    private UnreadBody() {}

    static void consumeArrived(HttpExchange exchange) {
        try {
            InputStream in = exchange.getRequestBody();
            String declared = exchange.getRequestHeaders().getFirst("Content-Length");
            boolean chunked = exchange.getRequestHeaders().containsKey("Transfer-Encoding");
            if (chunked) {
                return;   // its end is not known without reading: close the connection after the answer
            }
            long length = declared == null ? 0 : Long.parseLong(declared.trim());
            long consumed = 0;
            byte[] buffer = new byte[4096];
            int available;
            while (consumed < KEEP_ALIVE_BUDGET && (available = in.available()) > 0) {
                int read = in.read(buffer, 0, Math.min(buffer.length, available));
                if (read < 0) {
                    return;
                }
                consumed += read;
            }
            // Reading at the end returns -1 at once and marks the body read; before the end it
            // would wait, so only when every declared byte is known to be here (or there were none).
            if (consumed >= length) {
                in.read();
            }
        } catch (IOException | NumberFormatException e) {
            // the client went away, or declared nonsense: the connection is closed after the answer
        }
    }
}
