package catalog.contract;

import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One request and its answer, as the client saw them (header names in any case); status 0 when unanswered. */
public record Exchange(String method, String pathAndQuery, Map<String, List<String>> requestHeaders, String requestBody,
                       int status, Map<String, List<String>> responseHeaders, String responseBody) {
    String rawPath() {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    String rawQuery() {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? null : pathAndQuery.substring(q + 1);
    }

    String requestHeader(String name) {
        return first(requestHeaders, name);
    }

    String responseHeader(String name) {
        return first(responseHeaders, name);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
    }

    /** The request as swagger-request-validator models it. */
    SimpleRequest toRequest() {
        return toRequest(rawPath(), queryParameters());
    }

    /** The request as swagger-request-validator models it, with this path and these query parameters. */
    SimpleRequest toRequest(String path, Map<String, List<String>> query) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
        requestHeaders.forEach(request::withHeader);
        if (requestBody != null && !requestBody.isEmpty()) {
            request.withBody(requestBody);
        }
        query.forEach(request::withQueryParam);
        return request.build();
    }

    /** The response as swagger-request-validator models it. */
    SimpleResponse toResponse() {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        responseHeaders.forEach(response::withHeader);
        if (responseBody != null && !responseBody.isEmpty()) {
            response.withBody(responseBody);
        }
        return response.build();
    }

    /** The query's parameters, decoded as the server decodes them (form encoding: "+" is a space). */
    Map<String, List<String>> queryParameters() {
        String rawQuery = rawQuery();
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;   // malformed: the server answers 400, the document sees the raw text
        }
    }
}
