package catalog.contract;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * openapi.yaml as JSON. The build runs {@link #main} (exec-maven-plugin, process-test-classes) to
 * write target/classes/openapi.json, which the server serves: the runtime carries no YAML parser.
 * The tests read the document through {@link #read} too.
 *
 * <p>Only what JSON can say is accepted: string keys, and scalars that are strings, numbers,
 * booleans or null. Anything else YAML allows (a timestamp, a number as a key) fails the build
 * rather than being turned into something the author did not write.
 */
public final class OpenApiJson {
    /** openapi.yaml at the repository root: the tests run in it. */
    public static final Path DOCUMENT = Path.of("openapi.yaml");

    private OpenApiJson() {}

    /** {@code OpenApiJson <openapi.yaml> <openapi.json>} */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: OpenApiJson <openapi.yaml> <openapi.json>");
        }
        JsonObject document = read(Path.of(args[0]));
        Path out = Path.of(args[1]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(document) + "\n",
                StandardCharsets.UTF_8);
    }

    /** The YAML document as a JSON tree, keys in the order they are written. */
    public static JsonObject read(Path yaml) throws IOException {
        try (Reader reader = Files.newBufferedReader(yaml, StandardCharsets.UTF_8)) {
            Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            JsonElement json = toJson(tree, "");
            if (!json.isJsonObject()) {
                throw new IllegalArgumentException(yaml + " is not a mapping at the top");
            }
            return json.getAsJsonObject();
        }
    }

    /** The tree SnakeYAML made, as JSON; {@code at} names the place for error messages. */
    static JsonElement toJson(Object node, String at) {
        if (node == null) {
            return JsonNull.INSTANCE;
        }
        if (node instanceof Map<?, ?> map) {
            JsonObject object = new JsonObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("a key that is not a string at " + at + ": " + entry.getKey()
                            + " (quote it)");
                }
                object.add(key, toJson(entry.getValue(), at + "/" + key));
            }
            return object;
        }
        if (node instanceof List<?> list) {
            JsonArray array = new JsonArray();
            for (int i = 0; i < list.size(); i++) {
                array.add(toJson(list.get(i), at + "/" + i));
            }
            return array;
        }
        if (node instanceof String text) {
            return new JsonPrimitive(text);
        }
        if (node instanceof Boolean bool) {
            return new JsonPrimitive(bool);
        }
        if (node instanceof Integer || node instanceof Long || node instanceof BigInteger) {
            return new JsonPrimitive((Number) node);
        }
        if (node instanceof Double number) {
            // Double.toString is the shortest decimal that reads back the same double; written out in
            // plain notation (9999999999.99, not 9.99999999999E9) as the author wrote it.
            return new JsonPrimitive(new BigDecimal(new BigDecimal(Double.toString(number)).toPlainString()));
        }
        throw new IllegalArgumentException("a value JSON cannot hold at " + at + ": " + node + " ("
                + node.getClass().getSimpleName() + "; quote it)");
    }
}
