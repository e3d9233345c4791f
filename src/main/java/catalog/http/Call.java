package catalog.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;

/** One routed request as a handler sees it: path parameters, query, headers and the body. */
public final class Call {
    private final HttpExchange exchange;
    private final Map<String, String> pathParameters;
    private final RequestBody body;
    private Query query;

    Call(HttpExchange exchange, Map<String, String> pathParameters, RequestBody body) {
        this.exchange = exchange;
        this.pathParameters = pathParameters;
        this.body = body;
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

    public String path() {
        return exchange.getRequestURI().getPath();
    }

    /** The JSON request body as bytes: 415 unless it is JSON, 413 over the size limit. */
    public byte[] jsonBody() throws IOException {
        return body.readJson(exchange);
    }
}
