package catalog.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The few pieces of RESP2 the invalidation feed needs, on a non-blocking channel where a reply may
 * arrive in pieces: encoding a command, and reading one value from a buffer when, and only when,
 * all of it is there. Jedis reads from blocking streams only, so the feed speaks the protocol
 * itself (about as much of it as {@code redis-cli} needs for SUBSCRIBE).
 */
final class Resp {
    /** A RESP null (a null bulk string or a null array): Redis' "flush everything" invalidation. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "(nil)";
        }
    };

    /** An error reply ({@code -ERR ...}). */
    record Error(String message) {}

    private Resp() {}

    static ByteBuffer command(String... words) {
        StringBuilder out = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
            out.append('$').append(bytes.length).append("\r\n").append(word).append("\r\n");
        }
        return ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads one value starting at the buffer's position: a String (simple or bulk), a Long, an
     * {@link Error}, {@link #NULL} or a List of these. Returns null, with the position unchanged,
     * when the value is not complete yet; otherwise the position moves past it.
     *
     * @throws IllegalStateException if the bytes are not RESP2
     */
    static Object read(ByteBuffer in) {
        int start = in.position();
        Object value = value(in);
        if (value == null) {
            in.position(start);
        }
        return value;
    }

    private static Object value(ByteBuffer in) {
        if (!in.hasRemaining()) {
            return null;
        }
        byte type = in.get();
        String line = line(in);
        if (line == null) {
            return null;
        }
        switch (type) {
            case '+':
                return line;
            case '-':
                return new Error(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return NULL;
                }
                if (in.remaining() < length + 2) {
                    return null;
                }
                byte[] bytes = new byte[length];
                in.get(bytes);
                in.position(in.position() + 2);   // the CRLF after the bytes
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return NULL;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    Object item = value(in);
                    if (item == null) {
                        return null;
                    }
                    items.add(item);
                }
                return items;
            }
            default:
                throw new IllegalStateException("not a RESP2 reply: type byte " + type);
        }
    }

    /** The text up to the next CRLF, consumed with it; null when no CRLF has arrived yet. */
    private static String line(ByteBuffer in) {
        for (int i = in.position(); i + 1 < in.limit(); i++) {
            if (in.get(i) == '\r' && in.get(i + 1) == '\n') {
                byte[] bytes = new byte[i - in.position()];
                in.get(bytes);
                in.position(i + 2);
                return new String(bytes, StandardCharsets.US_ASCII);
            }
        }
        return null;
    }
}
