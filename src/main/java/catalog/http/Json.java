package catalog.http;

/**
 * Writes JSON strings by hand: the API's responses are small and fixed in shape, so building them
 * in one StringBuilder avoids a tree or reflection per request. Every string that reaches a
 * response goes through {@link #string}, the one place where output is escaped.
 */
public final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {}

    /** Appends {@code value} as a quoted JSON string (RFC 8259 escaping, U+2028/9 escaped too). */
    public static StringBuilder string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    public static String quote(String value) {
        return string(new StringBuilder(value.length() + 2), value).toString();
    }
}
