package catalog.ops;

import catalog.http.Call;
import catalog.http.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * GET /openapi.json and /openapi.yaml: the API's contract, as built into the jar. The YAML is the
 * repository's openapi.yaml; the JSON is made from it at build time (the server carries no YAML
 * parser), and a unit test checks that the two say the same.
 */
public final class ApiDocument {
    static final String JSON_RESOURCE = "/openapi.json";
    static final String YAML_RESOURCE = "/openapi.yaml";
    /** RFC 9512. */
    static final String YAML_MEDIA_TYPE = "application/yaml";

    private final String json;
    private final String yaml;

    private ApiDocument(String json, String yaml) {
        this.json = json;
        this.yaml = yaml;
    }

    /** Both forms from the class path; fails start-up if the build did not put them there. */
    public static ApiDocument fromClassPath() {
        return new ApiDocument(resource(JSON_RESOURCE), resource(YAML_RESOURCE));
    }

    public Reply json(Call call) {
        return Reply.json(200, json);
    }

    public Reply yaml(Call call) {
        return Reply.of(200, YAML_MEDIA_TYPE, yaml);
    }

    private static String resource(String name) {
        try (InputStream in = ApiDocument.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path: build with `mvn package`"
                        + " (its process-test-classes phase writes openapi.json from openapi.yaml)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
