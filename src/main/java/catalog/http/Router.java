package catalog.http;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Method + path template -> handler. A path no template matches is a 404; a path that matches
 * but not with this method routes to a handler answering 405, whose Allow header lists the
 * methods that would work.
 */
public final class Router {
    private record Route(String method, PathTemplate template, Handler handler) {}

    /** The outcome of routing: which template matched (the route's name) and its handler. */
    public record Match(String template, Handler handler, Map<String, String> parameters) {}

    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String template, Handler handler) {
        routes.add(new Route(method, PathTemplate.of(template), handler));
        return this;
    }

    public Router get(String template, Handler handler) {
        return add("GET", template, handler);
    }

    public Router post(String template, Handler handler) {
        return add("POST", template, handler);
    }

    public Router put(String template, Handler handler) {
        return add("PUT", template, handler);
    }

    public Router delete(String template, Handler handler) {
        return add("DELETE", template, handler);
    }

    /** Every route, as "METHOD /template", in the order they were added (the contract test reads them). */
    public List<String> routes() {
        return routes.stream().map(route -> route.method() + " " + route.template().text()).toList();
    }

    /**
     * The route for this request's raw (still percent-encoded) path; throws a 404 {@link Problem}
     * when no path matches. Segments are decoded one by one, so "%2F" never splits a segment.
     */
    public Match match(String method, String rawPath) {
        String[] segments = UriPath.rawSegments(rawPath);
        for (int i = 0; i < segments.length; i++) {
            segments[i] = UriPath.decodeSegment(segments[i]);
        }
        Set<String> allowed = null;
        String allowedTemplate = null;
        for (Route route : routes) {
            Map<String, String> parameters = route.template().match(segments);
            if (parameters == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Match(route.template().text(), route.handler(), parameters);
            }
            if (allowed == null) {
                allowed = new LinkedHashSet<>();
                allowedTemplate = route.template().text();
            }
            allowed.add(route.method());
        }
        if (allowed != null) {
            // A handler too (as in the JDK's own file server): the 405 is counted under its route.
            String allow = String.join(", ", allowed);
            return new Match(allowedTemplate, call -> {
                throw Problem.methodNotAllowed(method, allow);
            }, Map.of());
        }
        throw Problem.notFound("no resource at " + UriPath.reference(rawPath));
    }
}
