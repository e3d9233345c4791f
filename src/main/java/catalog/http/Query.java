package catalog.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The decoded query string. A parameter given twice is a 400: which one would win is a guess. */
public final class Query {
    private static final Query EMPTY = new Query(Map.of());

    private final Map<String, String> values;

    private Query(Map<String, String> values) {
        this.values = values;
    }

    static Query parse(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return EMPTY;
        }
        Map<String, String> values = new HashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (values.put(name, value) != null) {
                throw Problem.badRequest("query parameter " + Json.quote(name) + " is given more than once");
            }
        }
        return new Query(values);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("the query string is not properly percent-encoded");
        }
    }

    public String get(String name) {
        return values.get(name);
    }

    /** An integer parameter within [min, max], or the fallback when absent. */
    public long integer(String name, long fallback, long min, long max) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        String expected = name + " must be an integer from " + min + " to " + max;
        if (value.isEmpty() || value.length() > 19 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw Problem.badRequest(expected);
        }
        // 19 digits can still overflow a long: compare as text first.
        if (value.length() == 19 && value.compareTo(String.valueOf(Long.MAX_VALUE)) > 0) {
            throw Problem.badRequest(expected);
        }
        long parsed = Long.parseLong(value);
        if (parsed < min || parsed > max) {
            throw Problem.badRequest(expected);
        }
        return parsed;
    }
}
