package catalog.http;

import java.util.OptionalLong;

/**
 * A whole number written in ASCII decimal digits, as ids and query parameters are: no sign, no
 * spaces, no other digits (Java's parsers accept "+7" and Arabic-Indic digits; this does not).
 * Leading zeros are allowed, whatever their number, since "007" is the integer 7 (as the OpenAPI
 * document, where these are integers, says).
 */
public final class Decimal {
    private static final String MAX = String.valueOf(Long.MAX_VALUE);

    private Decimal() {}

    /** The value if {@code text} is such a number within [min, max]; empty otherwise. */
    public static OptionalLong within(String text, long min, long max) {
        if (text == null || text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        int first = 0;
        while (first < text.length() - 1 && text.charAt(first) == '0') {
            first++;
        }
        String digits = text.substring(first);
        // 19 digits can still overflow a long: compare as text first.
        if (digits.length() > MAX.length() || (digits.length() == MAX.length() && digits.compareTo(MAX) > 0)) {
            return OptionalLong.empty();
        }
        long value = Long.parseLong(digits);
        return value < min || value > max ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
