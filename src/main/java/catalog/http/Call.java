package catalog.http;

import catalog.access.Client;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** One routed request as a handler sees it: path parameters, query, headers and the body. */
public final class Call {
    private final HttpExchange exchange;
    private final Map<String, String> pathParameters;
    private final RequestBody body;
    private final Client client;
    private Query query;

    Call(HttpExchange exchange, Map<String, String> pathParameters, RequestBody body, Client client) {
        this.exchange = exchange;
        this.pathParameters = pathParameters;
        this.body = body;
        this.client = client;
    }

    /** Who sent the request, as the gate found it (anonymous where no key was needed or sent). */
    public Client client() {
        return client;
    }

    public String pathParameter(String name) {
        return pathParameters.get(name);
    }

    public Query query() {
        if (query == null) {
            query = Query.parse(exchange.getRequestURI().getRawQuery());
        }
        return query;
    }

    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** Every value of a header, in order (a header given twice is two values); empty when absent. */
    public List<String> headers(String name) {
        List<String> values = exchange.getRequestHeaders().get(name);
        return values == null ? List.of() : List.copyOf(values);
    }

    /** The JSON request body as bytes: 415 unless it is JSON, 413 over the size limit. */
    public byte[] jsonBody() throws IOException {
        return body.readJson(exchange);
    }
}
