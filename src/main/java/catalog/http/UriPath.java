package catalog.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Request paths in and out, the one place where they are decoded and encoded. A path is matched
 * segment by segment on its raw form, so an encoded slash ({@code %2F}) stays inside its segment;
 * a problem's {@code instance} is the raw path made a valid RFC 3986 URI reference: characters a
 * path may not hold (space, backtick, non-ASCII, a stray {@code %}) are percent-encoded as UTF-8,
 * well-formed escapes are kept as the client sent them.
 */
public final class UriPath {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriPath() {}

    /** "/products/12" -> ["products", "12"]; "/" -> []; a trailing slash makes an empty last segment. */
    static String[] rawSegments(String rawPath) {
        if (rawPath.isEmpty() || rawPath.equals("/")) {
            return new String[0];
        }
        return (rawPath.charAt(0) == '/' ? rawPath.substring(1) : rawPath).split("/", -1);
    }

    /** One raw segment, percent-decoded as UTF-8 ("+" is a plus sign in a path, not a space). */
    static String decodeSegment(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && isHex(raw, i + 1) && isHex(raw, i + 2)) {
                bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 2;
                continue;
            }
            flush(bytes, out);
            out.append(c);
        }
        flush(bytes, out);
        return out.toString();
    }

    /** The raw path as an RFC 3986 path-absolute URI reference (see the class comment). */
    public static String reference(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(rawPath.length() + 16);
        if (rawPath.charAt(0) != '/') {
            out.append('/');
        } else if (rawPath.startsWith("//")) {
            // "//x" would be read as a host (a network-path reference); "/.//x" is the same path
            // (RFC 3986 5.2.4 removes the "."), as WHATWG URL serialises such a path too.
            out.append("/.");
        }
        for (int i = 0; i < rawPath.length(); ) {
            int c = rawPath.codePointAt(i);
            if (c == '%' && isHex(rawPath, i + 1) && isHex(rawPath, i + 2)) {
                out.append('%').append(Character.toUpperCase(rawPath.charAt(i + 1)))
                        .append(Character.toUpperCase(rawPath.charAt(i + 2)));
                i += 3;
                continue;
            }
            if (c < 0x80 && allowedInPath((char) c)) {
                out.append((char) c);
            } else {
                // A lone surrogate has no UTF-8 form: encode U+FFFD, as the decoder would show it.
                // (c is a code point: cast to a char, U+1D800..U+1DFFF and the like would look like one.)
                boolean loneSurrogate = c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE;
                String text = loneSurrogate ? "\uFFFD" : new String(Character.toChars(c));
                for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
                }
            }
            i += Character.charCount(c);
        }
        return out.toString();
    }

    /** RFC 3986 pchar without the percent escapes (unreserved, sub-delims, ':' and '@'), and '/'. */
    private static boolean allowedInPath(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
    }

    private static boolean isHex(String text, int at) {
        return at < text.length() && Character.digit(text.charAt(at), 16) >= 0 && text.charAt(at) < 0x80;
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder out) {
        if (bytes.size() > 0) {
            out.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.reset();
        }
    }
}
