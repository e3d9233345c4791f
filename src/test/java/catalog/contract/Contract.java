package catalog.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * openapi.yaml as a check on real exchanges, so the document is the contract and not a brochure.
 * For each request and its response:
 * <ul>
 * <li>the response must be one the document describes for that operation: status, media type,
 * body schema, required headers (swagger-request-validator, on {@link OpenApi30View});</li>
 * <li>the document and the server must agree on the request: a request the document refuses must
 * get a 4xx, and a request the document accepts must not get a 400 or 415 (a departure such as an
 * undocumented bound shows up here);</li>
 * <li>a path the document does not have must get its 404 problem, a method the path does not
 * offer its 405 problem with {@code Allow} (the two answers any request can get);</li>
 * <li>a 5xx other than 503 is a bug.</li>
 * </ul>
 * One instance per client; building one parses the document (about a second in a fresh JVM).
 * Checks are serialised: the validator keeps caches that are not documented as thread-safe, and
 * scenarios call one client from many threads (it runs after the answer, outside its timing).
 */
public final class Contract {
    private static final String PATH_MISSING = "validation.request.path.missing";
    private static final String NOT_ALLOWED = "validation.request.operation.notAllowed";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    private final OpenApiInteractionValidator validator;
    private final OpenAPI model;
    private final SchemaValidator schemas;

    private Contract(String documentJson) {
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(documentJson)
                // "/products/" is not "/products" here: the server answers 404 for the former.
                .withStrictOperationPathMatching()
                .build();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);   // parameters inlined: their schemas are read below
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(documentJson, null, options);
        if (parsed.getOpenAPI() == null || !parsed.getMessages().isEmpty()) {
            throw new IllegalStateException("openapi.yaml does not parse as OpenAPI: " + parsed.getMessages());
        }
        this.model = parsed.getOpenAPI();
        this.schemas = new SchemaValidator(model, new MessageResolver());
    }

    /** The contract from the repository's openapi.yaml. */
    public static Contract load() {
        try {
            JsonObject document = OpenApiJson.read(OpenApiJson.DOCUMENT);
            return new Contract(OpenApi30View.of(document).toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + OpenApiJson.DOCUMENT.toAbsolutePath(), e);
        }
    }

    /** Whether the document accepts a request that got no answer (a timeout): it is checked all the same. */
    public synchronized boolean accepts(Exchange request) {
        return errors(validator.validateRequest(validatorRequest(request))).isEmpty() && bodyWithoutMediaType(request, request.rawPath()).isEmpty()
                && parameterForms(request, request.rawPath()).isEmpty();
    }

    /** What the document says about one exchange. */
    public synchronized Verdict check(Exchange exchange) {
        String path = exchange.rawPath();
        SimpleRequest request = validatorRequest(exchange);
        List<ValidationReport.Message> requestErrors = errors(validator.validateRequest(request));
        Set<String> keys = requestErrors.stream().map(ValidationReport.Message::getKey).collect(Collectors.toSet());
        List<String> violations = new ArrayList<>();
        int status = exchange.status();
        if (status >= 500 && status != 503) {
            violations.add("the server answered " + status + ": a bug, whatever the document says");
        }
        if (keys.contains(PATH_MISSING)) {
            expectProblem(exchange, 404, violations);
            return new Verdict(false, Kind.UNKNOWN_PATH, violations);
        }
        if (keys.contains(NOT_ALLOWED)) {
            expectProblem(exchange, 405, violations);
            expectAllow(exchange, path, violations);
            return new Verdict(false, Kind.METHOD_NOT_ALLOWED, violations);
        }
        List<String> refusals = requestErrors.stream().map(Contract::describe).collect(Collectors.toCollection(ArrayList::new));
        bodyWithoutMediaType(exchange, path).ifPresent(refusals::add);
        refusals.addAll(parameterForms(exchange, path));
        numbersADoubleChanges(exchange).ifPresent(refusals::add);
        ValidationReport response = validator.validateResponse(path, request.getMethod(), exchange.toResponse());
        errors(response).forEach(m -> violations.add("the response: " + describe(m)));
        boolean acceptedByDocument = refusals.isEmpty();
        if (!acceptedByDocument && status < 400) {
            violations.add("the document refuses this request (" + String.join("; ", refusals)
                    + ") but the server answered " + status);
        }
        if (acceptedByDocument && (status == 400 || status == 415)) {
            violations.add("the document accepts this request but the server answered " + status + ": "
                    + exchange.responseBody());
        }
        return new Verdict(acceptedByDocument, Kind.OPERATION, violations);
    }

    /**
     * The validator reads JSON numbers as doubles, so a number a double cannot hold unchanged
     * (1E-400 reads as 0, which is a multiple of 0.01) passes its bounds and multipleOf while the
     * document, which speaks of exact values, refuses it. Every number this document accepts (a
     * price of at most 12 digits with 2 decimals, an int32 stock) survives a double unchanged, so
     * one that does not is refused by the document. Found by GeneratedRequestsIT.
     */
    private static Optional<String> numbersADoubleChanges(Exchange exchange) {
        String body = exchange.requestBody();
        if (body == null || body.isEmpty()) {
            return Optional.empty();
        }
        JsonElement json;
        try {
            json = JsonParser.parseString(body);
        } catch (RuntimeException e) {
            return Optional.empty();   // not JSON: the validator refuses it itself
        }
        return numbers(json).filter(literal -> !survivesDouble(literal)).findFirst()
                .map(literal -> "the number " + literal + " (its exact value) is out of the document's bounds");
    }

    private static java.util.stream.Stream<String> numbers(JsonElement json) {
        if (json.isJsonObject()) {
            return json.getAsJsonObject().entrySet().stream().flatMap(e -> numbers(e.getValue()));
        }
        if (json.isJsonArray()) {
            return json.getAsJsonArray().asList().stream().flatMap(Contract::numbers);
        }
        return json.isJsonPrimitive() && json.getAsJsonPrimitive().isNumber()
                ? java.util.stream.Stream.of(json.getAsString()) : java.util.stream.Stream.empty();
    }

    private static boolean survivesDouble(String literal) {
        try {
            double read = Double.parseDouble(literal);
            return Double.isFinite(read) && new BigDecimal(Double.toString(read)).compareTo(new BigDecimal(literal)) == 0;
        } catch (NumberFormatException e) {
            return true;   // not a JSON number literal: left to the validator
        }
    }

    /** A body sent without Content-Type to an operation whose body has one is not what the document describes. */
    private Optional<String> bodyWithoutMediaType(Exchange exchange, String path) {
        boolean hasBody = exchange.requestBody() != null && !exchange.requestBody().isEmpty();
        if (!hasBody || exchange.requestHeader("Content-Type") != null) {
            return Optional.empty();
        }
        PathItem item = model.getPaths().get(template(path));
        boolean takesBody = item != null && item.readOperationsMap().entrySet().stream()
                .anyMatch(e -> e.getKey().name().equals(exchange.method()) && e.getValue().getRequestBody() != null);
        return takesBody ? Optional.of("a body without Content-Type") : Optional.empty();
    }

    /**
     * What the validator lets through about parameters and the document does not say: an integer
     * parameter must be written as one (the validator reads " 1" and "+1" as 1), and a parameter
     * that is not an array has one value (the validator takes the first of several).
     */
    private List<String> parameterForms(Exchange exchange, String path) {
        Map<String, List<String>> query = exchange.queryParameters();
        List<String> refusals = new ArrayList<>();
        for (Parameter parameter : parameters(exchange, path)) {
            if ("query".equals(parameter.getIn()) && query.getOrDefault(parameter.getName(), List.of()).size() > 1
                    && !"array".equals(parameter.getSchema().getType())) {
                refusals.add("parameter " + parameter.getName() + " given more than once");
            }
            if (!isInteger(parameter)) {
                continue;
            }
            List<String> values = switch (parameter.getIn()) {
                case "path" -> pathSegment(path, parameter).map(at -> List.of(decodeSegment(path.split("/", -1)[at]))).orElse(List.of());
                case "query" -> query.getOrDefault(parameter.getName(), List.of());
                default -> List.of();
            };
            values.stream().filter(v -> !v.isEmpty() && !INTEGER.matcher(v).matches()).findFirst().ifPresent(v ->
                    refusals.add("parameter " + parameter.getName() + ": \"" + v + "\" is not an integer"));
        }
        return refusals;
    }

    /**
     * The request as the validator is to read it: an integer parameter written with leading zeros
     * ("007") given as the number it is. The validator parses a parameter as JSON, where 007 is no
     * number; the document's integers are read as the server reads them, leading zeros allowed
     * (README, ids), and {@link #parameterForms} judges how an integer is written.
     */
    private SimpleRequest validatorRequest(Exchange exchange) {
        String path = exchange.rawPath();
        String[] segments = path.split("/", -1);
        Map<String, List<String>> query = exchange.queryParameters();
        for (Parameter parameter : parameters(exchange, path)) {
            if (!isInteger(parameter)) {
                continue;
            }
            if ("path".equals(parameter.getIn())) {
                pathSegment(path, parameter).ifPresent(at -> segments[at] = withoutLeadingZeros(decodeSegment(segments[at]), segments[at]));
            } else if ("query".equals(parameter.getIn()) && query.containsKey(parameter.getName())) {
                query.put(parameter.getName(), query.get(parameter.getName()).stream().map(v -> withoutLeadingZeros(v, v)).toList());
            }
        }
        return exchange.toRequest(String.join("/", segments), query);
    }

    /** The parameters of the operation the exchange names, its path's and its own. */
    private List<Parameter> parameters(Exchange exchange, String path) {
        PathItem item = model.getPaths().get(template(path));
        if (item == null) {
            return List.of();
        }
        List<Parameter> parameters = new ArrayList<>(item.getParameters() == null ? List.of() : item.getParameters());
        item.readOperationsMap().entrySet().stream().filter(e -> e.getKey().name().equals(exchange.method()))
                .map(e -> e.getValue().getParameters()).filter(java.util.Objects::nonNull).forEach(parameters::addAll);
        return parameters;
    }

    private static boolean isInteger(Parameter parameter) {
        return parameter.getSchema() != null && "integer".equals(parameter.getSchema().getType());
    }

    /** Where a path parameter's segment is in the path's segments, if the path has it. */
    private Optional<Integer> pathSegment(String path, Parameter parameter) {
        int at = Arrays.asList(template(path).split("/", -1)).indexOf("{" + parameter.getName() + "}");
        return at < 0 || at >= path.split("/", -1).length ? Optional.empty() : Optional.of(at);
    }

    private static String decodeSegment(String raw) {
        return Exchange.decode(raw.replace("+", "%2B"));
    }

    /** "007" -> "7", "-0" -> "0"; {@code otherwise} when the text is not an integer with leading zeros. */
    private static String withoutLeadingZeros(String text, String otherwise) {
        boolean padded = INTEGER.matcher(text).matches() && text.replaceFirst("^-", "").length() > 1 && text.replaceFirst("^-", "").startsWith("0");
        return padded ? new BigInteger(text).toString() : otherwise;
    }

    private void expectProblem(Exchange exchange, int expected, List<String> violations) {
        if (exchange.status() != expected) {
            violations.add("expected the " + expected + " every request can get, got " + exchange.status());
            return;
        }
        String type = exchange.responseHeader("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(PROBLEM_JSON)) {
            violations.add("a " + expected + " must be " + PROBLEM_JSON + ", was " + type);
        }
        Schema<?> problem = model.getComponents().getSchemas().get("Problem");
        errors(schemas.validate(exchange.responseBody(), problem, "validation.response.body"))
                .forEach(m -> violations.add("the problem document: " + describe(m)));
    }

    private void expectAllow(Exchange exchange, String path, List<String> violations) {
        PathItem item = model.getPaths().get(template(path));
        Set<String> documented = item == null ? Set.of()
                : item.readOperationsMap().keySet().stream().map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
        String allow = exchange.responseHeader("Allow");
        Set<String> answered = allow == null ? Set.of()
                : Arrays.stream(allow.split(",")).map(String::trim).collect(Collectors.toCollection(TreeSet::new));
        if (!documented.equals(answered)) {
            violations.add("Allow: " + allow + ", but the document's operations on this path are " + documented);
        }
    }

    /** The document's path template a concrete path falls under (the one the 405 is about). */
    private String template(String path) {
        String[] segments = path.split("/", -1);
        for (String template : model.getPaths().keySet()) {
            String[] parts = template.split("/", -1);
            if (parts.length != segments.length) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i < parts.length && matches; i++) {
                matches = parts[i].startsWith("{") ? !segments[i].isEmpty() : parts[i].equals(segments[i]);
            }
            if (matches) {
                return template;
            }
        }
        return path;
    }

    private static List<ValidationReport.Message> errors(ValidationReport report) {
        return report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR).toList();
    }

    private static String describe(ValidationReport.Message message) {
        String text = message.getMessage();
        return message.getKey() + ": " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }

    /** Which part of the document judged the exchange. */
    public enum Kind { OPERATION, UNKNOWN_PATH, METHOD_NOT_ALLOWED }

    /**
     * The outcome: whether the document accepts the request as it describes it, and everything in
     * the exchange the document does not allow (empty when the exchange keeps the contract).
     */
    public record Verdict(boolean requestAccepted, Kind kind, List<String> violations) {
        public boolean kept() {
            return violations.isEmpty();
        }
    }
}
