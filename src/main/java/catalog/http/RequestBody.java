package catalog.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads a JSON request body under a size limit. The declared length is checked before anything is
 * read, and the actual bytes are counted too, because a chunked body declares nothing.
 */
public final class RequestBody {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(RequestBody.class.getName());
    public static final int DEFAULT_LIMIT = 64 * 1024;

    private final int limit;

    public RequestBody(int limit) {
        this.limit = limit;
    }

    byte[] readJson(HttpExchange exchange) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (!isJson(contentType)) {
            throw Problem.unsupportedMediaType(contentType);
        }
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && declaredLength(declared) > limit) {
            throw Problem.payloadTooLarge(limit);
        }
        try {
            return readAtMost(exchange.getRequestBody());
        } catch (IOException e) {
            // The client closed its connection mid-body, or sent too slowly and the server closed it:
            // its fault, not the server's, so a 400 (the client will not read it) and no stack trace.
            LOG.fine(() -> "request body aborted: " + e);
            throw Problem.badRequest("the request body ended before it was complete");
        }
    }

    private byte[] readAtMost(InputStream in) throws IOException {
        byte[] buffer = new byte[Math.min(limit + 1, 8192)];
        int size = 0;
        while (true) {
            if (size == buffer.length) {
                if (size > limit) {
                    throw Problem.payloadTooLarge(limit);
                }
                buffer = Arrays.copyOf(buffer, Math.min(limit + 1, buffer.length * 2));
            }
            int read = in.read(buffer, size, buffer.length - size);
            if (read < 0) {
                return Arrays.copyOf(buffer, size);
            }
            size += read;
            if (size > limit) {
                throw Problem.payloadTooLarge(limit);
            }
        }
    }

    private static long declaredLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw Problem.badRequest("Content-Length is not a number");
        }
    }

    /** application/json, any case, with or without parameters such as charset=utf-8. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.toLowerCase(Locale.ROOT).equals("application/json");
    }
}
