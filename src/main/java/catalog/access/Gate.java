package catalog.access;

import catalog.http.Problem;
import java.util.List;
import java.util.Map;

/**
 * Who may do what, decided before a request's body is read: writes (POST, PUT, DELETE, PATCH) need
 * a key with the right to write; reads need none unless {@code readsNeedKey}. Keys come as
 * {@code Authorization: Bearer <key>} (RFC 6750, as Stripe's API takes them). A request without a
 * key where one is needed, or with a key nobody was given, is a 401 with {@code WWW-Authenticate};
 * a read-only key on a write is a 403.
 */
public final class Gate {
    static final String REALM = "Bearer realm=\"products\"";
    private static final String BEARER = "Bearer ";

    /** Every request admitted, as nobody: for servers with nothing to protect (tests of the HTTP layer). */
    public static final Gate OPEN = new Gate(null, false);

    private final ApiKeys keys;
    private final boolean readsNeedKey;

    public Gate(ApiKeys keys, boolean readsNeedKey) {
        this.keys = keys;
        this.readsNeedKey = readsNeedKey;
    }

    /** The client behind this request, or a 401/403 {@link Problem}. */
    public Client admit(String method, List<String> authorization) {
        if (keys == null) {
            return Client.ANONYMOUS;
        }
        boolean write = isWrite(method);
        if (authorization.isEmpty()) {
            if (write || readsNeedKey) {
                throw unauthorized((write ? "writes" : "requests") + " need an API key: send Authorization: Bearer <key>", null);
            }
            return Client.ANONYMOUS;
        }
        String value = authorization.get(0);
        if (authorization.size() > 1 || value.length() <= BEARER.length()
                || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw unauthorized("the Authorization header must be one Bearer <key>", "invalid_request");
        }
        Client client = keys.find(value.substring(BEARER.length()).strip())
                .orElseThrow(() -> unauthorized("this API key is not known here", "invalid_token"));
        if (write && !client.mayWrite()) {
            throw new Problem(403, "Forbidden", "the key of client " + client.name() + " may read only", Map.of());
        }
        return client;
    }

    public static boolean isWrite(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("DELETE") || method.equals("PATCH");
    }

    private static Problem unauthorized(String detail, String error) {
        String challenge = error == null ? REALM : REALM + ", error=\"" + error + "\"";
        return new Problem(401, "Unauthorized", detail, Map.of("WWW-Authenticate", challenge));
    }
}
