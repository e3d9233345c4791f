package catalog.contract;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OpenAPI 3.1 document as the 3.0 document that swagger-request-validator 2.x checks fully.
 * Fed a 3.1 document, that validator drops every schema's {@code type} and
 * {@code additionalProperties} (measured: a body with an unknown field, a string as an integer
 * and 1.5 as a stock all passed), so the check would pass nearly anything. Its newer 3.x line
 * understands 3.1 but needs Java 21, and the build runs on 17.
 *
 * <p>The view rewrites only what openapi.yaml uses that 3.0 says differently: {@code type: [T,
 * "null"]} becomes {@code type: T, nullable: true}, and the 3.1-only {@code info.summary} and
 * {@code license.identifier} go. A 3.1 keyword it cannot rewrite fails the build instead of
 * being silently ignored by the validator. One difference remains, and is stricter than the
 * document: under 3.0's JSON Schema draft 4 an integer written {@code 1.0} is not an integer.
 */
final class OpenApi30View {
    /** 3.1 (JSON Schema 2020-12) keywords with no 3.0 form, which the validator would ignore. */
    private static final Set<String> UNTRANSLATABLE = Set.of("const", "prefixItems", "unevaluatedProperties",
            "unevaluatedItems", "dependentSchemas", "dependentRequired", "if", "then", "else", "$defs",
            "contentEncoding", "contentMediaType", "contains", "minContains", "maxContains", "$dynamicRef",
            "propertyNames", "webhooks", "jsonSchemaDialect", "pathItems");

    private OpenApi30View() {}

    static JsonObject of(JsonObject document) {
        JsonObject view = document.deepCopy();
        if (!view.get("openapi").getAsString().startsWith("3.1")) {
            throw new IllegalArgumentException("expected an OpenAPI 3.1 document, got " + view.get("openapi"));
        }
        view.addProperty("openapi", "3.0.3");
        JsonObject info = view.getAsJsonObject("info");
        info.remove("summary");
        if (info.has("license")) {
            info.getAsJsonObject("license").remove("identifier");
        }
        rewrite(view, "");
        return view;
    }

    private static void rewrite(JsonElement node, String at) {
        if (node.isJsonArray()) {
            JsonArray array = node.getAsJsonArray();
            for (int i = 0; i < array.size(); i++) {
                rewrite(array.get(i), at + "/" + i);
            }
            return;
        }
        if (!node.isJsonObject()) {
            return;
        }
        JsonObject object = node.getAsJsonObject();
        boolean inPropertiesMap = at.endsWith("/properties") || at.endsWith("/schemas") || at.endsWith("/paths")
                || at.endsWith("/responses") || at.endsWith("/headers") || at.endsWith("/parameters")
                || at.endsWith("/content") || at.endsWith("/requestBodies");
        if (!inPropertiesMap) {
            for (String keyword : object.keySet()) {
                if (UNTRANSLATABLE.contains(keyword)) {
                    throw new IllegalArgumentException("openapi.yaml uses " + keyword + " at " + at
                            + ": the contract check (OpenAPI 3.0 view) cannot enforce it; say it another way");
                }
            }
            if (object.has("exclusiveMinimum") || object.has("exclusiveMaximum")) {
                throw new IllegalArgumentException("openapi.yaml uses exclusiveMinimum/exclusiveMaximum at " + at
                        + ": numeric in 3.1, boolean in 3.0; use minimum/maximum");
            }
            JsonElement type = object.get("type");
            if (type != null && type.isJsonArray()) {
                List<String> types = new ArrayList<>();
                type.getAsJsonArray().forEach(t -> types.add(t.getAsString()));
                boolean nullable = types.remove("null");
                if (types.size() != 1) {
                    throw new IllegalArgumentException("a type list other than [T, \"null\"] at " + at + ": " + types);
                }
                object.add("type", new JsonPrimitive(types.get(0)));
                if (nullable) {
                    object.addProperty("nullable", true);
                }
            }
        }
        for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
            rewrite(entry.getValue(), at + "/" + entry.getKey());
        }
    }
}
