package catalog.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A path such as {@code /products/{id}}: literal segments must be equal, {@code {name}} segments
 * capture one non-empty segment. The template itself is the route's name in metrics, so ids never
 * multiply the number of series.
 */
public record PathTemplate(String text, List<String> segments) {

    public static PathTemplate of(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("a path template starts with /: " + text);
        }
        return new PathTemplate(text, List.of(UriPath.rawSegments(text)));
    }

    /** The captured parameters, or null when the path's (decoded) segments do not match. */
    Map<String, String> match(String[] pathSegments) {
        if (pathSegments.length != segments.size()) {
            return null;
        }
        Map<String, String> parameters = null;
        for (int i = 0; i < pathSegments.length; i++) {
            String segment = segments.get(i);
            if (isParameter(segment)) {
                if (pathSegments[i].isEmpty()) {
                    return null;
                }
                if (parameters == null) {
                    parameters = new HashMap<>(4);
                }
                parameters.put(segment.substring(1, segment.length() - 1), pathSegments[i]);
            } else if (!segment.equals(pathSegments[i])) {
                return null;
            }
        }
        return parameters == null ? Map.of() : parameters;
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }
}
