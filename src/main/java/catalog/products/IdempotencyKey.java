package catalog.products;

import catalog.http.Problem;
import java.util.List;
import java.util.Optional;

/**
 * The {@code Idempotency-Key} request header (IETF httpapi draft; Stripe's behaviour): a key the
 * client makes unique per product it means to create and sends again on every retry. 1 to 255
 * visible ASCII characters other than {@code "} and {@code \}, bare or as a quoted string (the
 * draft writes it as a Structured Field string). Anything else is a 400 before the body is read.
 */
public record IdempotencyKey(String value) {
    public static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    /** The key from the header's values; empty when the header is absent. */
    public static Optional<IdempotencyKey> from(List<String> headerValues) {
        if (headerValues.isEmpty()) {
            return Optional.empty();
        }
        if (headerValues.size() > 1) {
            throw invalid("is given more than once");
        }
        String value = strip(headerValues.get(0));
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        if (value.isEmpty()) {
            throw invalid("is empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw invalid("is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
                throw invalid("may hold only visible ASCII characters other than \" and \\");
            }
        }
        return Optional.of(new IdempotencyKey(value));
    }

    /** Field values carry no leading or trailing spaces or tabs (RFC 9110, 5.5). */
    private static String strip(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
            end--;
        }
        return value.substring(start, end);
    }

    private static Problem invalid(String why) {
        return Problem.badRequest(HEADER + " " + why + " (1 to " + MAX_LENGTH
                + " visible ASCII characters other than \" and \\, bare or in double quotes)");
    }

    @Override
    public String toString() {
        return value;
    }
}
