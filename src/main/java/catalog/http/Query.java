package catalog.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The decoded query string. A parameter the API reads that is given twice is a 400 (which one
 * would win is a guess); parameters it does not read are ignored, however often they come.
 */
public final class Query {
    private static final Query EMPTY = new Query(Map.of());

    private final Map<String, List<String>> values;

    private Query(Map<String, List<String>> values) {
        this.values = values;
    }

    static Query parse(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<String>> values = new HashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            values.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
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

    /** The parameter's value, or null when absent; a 400 when it is given more than once. */
    public String get(String name) {
        List<String> given = values.get(name);
        if (given == null) {
            return null;
        }
        if (given.size() > 1) {
            throw Problem.badRequest("query parameter " + Json.quote(name) + " is given more than once");
        }
        return given.get(0);
    }

    /** An integer parameter within [min, max], or the fallback when absent. */
    public long integer(String name, long fallback, long min, long max) {
        String value = get(name);
        if (value == null) {
            return fallback;
        }
        return Decimal.within(value, min, max)
                .orElseThrow(() -> Problem.badRequest(name + " must be an integer from " + min + " to " + max));
    }
}
