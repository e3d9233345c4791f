package catalog.http;

import java.util.Map;

/**
 * An answer that is an error, thrown by handlers and rendered as {@code application/problem+json}
 * (RFC 9457). The detail is written for the client; it never carries a stack trace.
 */
public final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String title;
    private final transient Map<String, String> headers;

    public Problem(int status, String title, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.headers = Map.copyOf(headers);
    }

    public static Problem badRequest(String detail) {
        return new Problem(400, "Bad Request", detail, Map.of());
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "Not Found", detail, Map.of());
    }

    public static Problem methodNotAllowed(String method, String allow) {
        return new Problem(405, "Method Not Allowed", method + " is not allowed here; allowed: " + allow,
                Map.of("Allow", allow));
    }

    public static Problem payloadTooLarge(long limit) {
        return new Problem(413, "Content Too Large", "the request body must not exceed " + limit + " bytes", Map.of());
    }

    public static Problem unsupportedMediaType(String contentType) {
        return new Problem(415, "Unsupported Media Type",
                "the request body must be application/json, not " + (contentType == null ? "unspecified" : contentType),
                Map.of("Accept-Post", "application/json"));
    }

    /** The same request may succeed later (e.g. once the one it collides with has finished). */
    public static Problem conflict(String detail, int retryAfterSeconds) {
        return new Problem(409, "Conflict", detail, Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    public static Problem unprocessable(String detail) {
        return new Problem(422, "Unprocessable Content", detail, Map.of());
    }

    public static Problem serviceUnavailable(String detail, int retryAfterSeconds) {
        return new Problem(503, "Service Unavailable", detail, Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    public static Problem internal() {
        return new Problem(500, "Internal Server Error", "the server failed to answer; the error is in its log", Map.of());
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /**
     * The problem document for a request to this raw path; its {@code instance} is the path as a
     * URI reference ({@link UriPath#reference}), never the decoded text.
     */
    public Reply toReply(String rawPath) {
        String instance = UriPath.reference(rawPath);
        StringBuilder body = new StringBuilder(128).append("{\"type\":\"about:blank\",\"title\":");
        Json.string(body, title).append(",\"status\":").append(status).append(",\"detail\":");
        Json.string(body, detail()).append(",\"instance\":");
        Json.string(body, instance).append('}');
        Reply reply = Reply.of(status, Reply.PROBLEM_JSON, body);
        headers.forEach(reply::header);
        return reply;
    }
}
