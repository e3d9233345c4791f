package catalog.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What a handler answers: status, a few headers and an already-encoded body. */
public final class Reply {
    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";

    private static final byte[] EMPTY = new byte[0];

    private final int status;
    private final byte[] body;
    private final List<String> headers = new ArrayList<>(6);

    private Reply(int status, String contentType, byte[] body) {
        this.status = status;
        this.body = body;
        if (contentType != null) {
            header("Content-Type", contentType);
        }
    }

    public static Reply json(int status, CharSequence body) {
        return of(status, JSON, body);
    }

    public static Reply of(int status, String contentType, CharSequence body) {
        return new Reply(status, contentType, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static Reply noContent() {
        return new Reply(204, null, EMPTY);
    }

    public Reply header(String name, String value) {
        headers.add(name);
        headers.add(value);
        return this;
    }

    public int status() {
        return status;
    }

    public byte[] body() {
        return body;
    }

    /** Header names and values, alternating. */
    List<String> headers() {
        return headers;
    }

    /** The first value of a header, or null (tests and metrics read it). */
    public String headerValue(String name) {
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            if (headers.get(i).equalsIgnoreCase(name)) {
                return headers.get(i + 1);
            }
        }
        return null;
    }
}
