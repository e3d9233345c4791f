package catalog.ops;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.contract.OpenApiJson;
import catalog.http.AccessMetrics;
import catalog.http.ApiServer;
import catalog.http.Router;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * /openapi.json and /openapi.yaml as the server serves them, against the repository's openapi.yaml.
 * The JSON is made at build time; this test reads the YAML on its own (not through the build's
 * converter) and compares value by value, so a stale or mistranslated JSON fails here.
 */
class ApiDocumentTest {
    @BeforeAll
    static void jvmSettings() {
        JvmSettings.apply();   // as Main does: the JDK server reads them once, at its first start
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        ApiDocument document = ApiDocument.fromClassPath();
        server = ApiServer.builder(new Router().get("/openapi.json", document::json).get("/openapi.yaml", document::yaml),
                new AccessMetrics()).port(0).threads(2).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** GETs the document and checks it is served (200) as the given media type. */
    private HttpResponse<String> served(String path, String contentType) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(contentType);
        return response;
    }

    @Test
    @DisplayName("GET /openapi.json is application/json and says exactly what openapi.yaml says")
    void jsonEqualsTheYaml() throws Exception {
        HttpResponse<String> response = served("/openapi.json", "application/json");
        Object yaml;
        try (Reader reader = Files.newBufferedReader(OpenApiJson.DOCUMENT, StandardCharsets.UTF_8)) {
            yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        }
        List<String> differences = new ArrayList<>();
        compare(yaml, JsonParser.parseString(response.body()), "", differences);
        assertThat(differences).as("where the served JSON differs from openapi.yaml").isEmpty();
        assertThat(JsonParser.parseString(response.body()).getAsJsonObject().get("openapi").getAsString()).isEqualTo("3.1.0");
    }

    @Test
    @DisplayName("GET /openapi.yaml is application/yaml and is the repository's file, byte for byte")
    void yamlIsTheFile() throws Exception {
        HttpResponse<String> response = served("/openapi.yaml", "application/yaml");
        assertThat(response.body()).isEqualTo(Files.readString(OpenApiJson.DOCUMENT, StandardCharsets.UTF_8));
    }

    /** Walks both trees: same keys in the same order, same arrays, equal scalars (numbers by value). */
    private static void compare(Object yaml, JsonElement json, String at, List<String> differences) {
        if (yaml instanceof Map<?, ?> map) {
            if (!json.isJsonObject()) {
                differences.add(at + ": a mapping in YAML, " + json + " in JSON");
                return;
            }
            List<String> yamlKeys = map.keySet().stream().map(String::valueOf).toList();
            List<String> jsonKeys = new ArrayList<>(json.getAsJsonObject().keySet());
            if (!yamlKeys.equals(jsonKeys)) {
                differences.add(at + ": keys " + yamlKeys + " in YAML, " + jsonKeys + " in JSON");
                return;
            }
            map.forEach((key, value) -> compare(value, json.getAsJsonObject().get(String.valueOf(key)), at + "/" + key, differences));
        } else if (yaml instanceof List<?> list) {
            if (!json.isJsonArray() || json.getAsJsonArray().size() != list.size()) {
                differences.add(at + ": a list of " + list.size() + " in YAML, " + json + " in JSON");
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                compare(list.get(i), json.getAsJsonArray().get(i), at + "/" + i, differences);
            }
        } else if (yaml == null) {
            if (!json.isJsonNull()) {
                differences.add(at + ": null in YAML, " + json + " in JSON");
            }
        } else if (yaml instanceof Number number) {
            boolean same = json.isJsonPrimitive() && json.getAsJsonPrimitive().isNumber()
                    && new BigDecimal(number.toString()).compareTo(json.getAsBigDecimal()) == 0;
            if (!same) {
                differences.add(at + ": " + number + " in YAML, " + json + " in JSON");
            }
        } else if (yaml instanceof Boolean bool) {
            if (!json.isJsonPrimitive() || !json.getAsJsonPrimitive().isBoolean() || json.getAsBoolean() != bool) {
                differences.add(at + ": " + bool + " in YAML, " + json + " in JSON");
            }
        } else if (!json.isJsonPrimitive() || !json.getAsJsonPrimitive().isString() || !json.getAsString().equals(yaml)) {
            differences.add(at + ": " + yaml + " in YAML, " + json + " in JSON");
        }
    }
}
