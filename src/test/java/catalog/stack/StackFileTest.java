package catalog.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-stack.yml is generated from docker-compose.yml (scripts/stack-file.py); this checks, with no
 * Docker and no Python, that the committed file still agrees with its source, so a change to one
 * file alone fails `mvn test`: the same services, images, commands and health checks, and every
 * setting of the compose file either the same in the stack or, for a credential, a secret.
 */
class StackFileTest {
    /** Settings the stack sets otherwise on purpose (docs/several-hosts.md). */
    private static final Set<String> CHANGED_ON_PURPOSE = Set.of("BACKUPS", "BACKUP_FULL_SECONDS", "BACKUP_INCR_SECONDS");

    private final Map<String, Map<String, Object>> compose = services("docker-compose.yml");
    private final Map<String, Map<String, Object>> stack = services("docker-stack.yml");

    @Test
    @DisplayName("docker-stack.yml has the services of docker-compose.yml, with the same images, commands and health checks")
    void sameServices() {
        assertThat(stack.keySet()).isEqualTo(compose.keySet());
        compose.forEach((name, service) -> {
            assertThat(stack.get(name).get("image")).as(name + " image").isEqualTo(service.get("image"));
            assertThat(stack.get(name).get("healthcheck")).as(name + " health check").isEqualTo(service.get("healthcheck"));
            if (!name.startsWith("etcd-")) {   // etcd's data directory moves to its volume
                assertThat(String.valueOf(stack.get(name).get("command"))).as(name + " command")
                        .endsWith(String.valueOf(service.get("command")).replaceFirst("^\\[", ""));
            }
        });
    }

    @Test
    @DisplayName("every setting of docker-compose.yml is the same in docker-stack.yml, or a secret there")
    void sameSettingsCredentialsAsSecrets() {
        compose.forEach((name, service) -> {
            Map<String, Object> composeEnv = environment(service);
            Map<String, Object> stackEnv = environment(stack.get(name));
            composeEnv.forEach((variable, value) -> {
                if (CHANGED_ON_PURPOSE.contains(variable)) {
                    return;
                }
                if (stackEnv.containsKey(variable + "_FILE")) {
                    assertThat(String.valueOf(stackEnv.get(variable + "_FILE"))).as(name + " " + variable)
                            .startsWith("/run/secrets/");
                    assertThat(stackEnv).as(name + ": " + variable + " only as a secret").doesNotContainKey(variable);
                } else {
                    assertThat(stackEnv.get(variable)).as(name + " " + variable).isEqualTo(value);
                }
            });
            stackEnv.keySet().stream().filter(v -> v.contains("PASSWORD") || v.startsWith("API_KEYS") || v.startsWith("REDIS_URL"))
                    .forEach(v -> assertThat(v).as(name + ": a credential in docker-stack.yml").endsWith("_FILE"));
        });
    }

    @Test
    @DisplayName("docker-stack.yml runs every service with endpoint_mode dnsrr, placed by a node label")
    void placedByLabelsWithoutIpvs() {
        stack.forEach((name, service) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> deploy = (Map<String, Object>) service.get("deploy");
            assertThat(deploy.get("endpoint_mode")).as(name).isEqualTo("dnsrr");
            assertThat(String.valueOf(deploy.get("placement"))).as(name).contains("node.labels.");
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> service) {
        Object environment = service.get("environment");
        return environment == null ? Map.of() : (Map<String, Object>) environment;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services(String file) {
        try {
            Map<String, Object> document = new Yaml().load(Files.readString(Path.of(file)));
            return (Map<String, Map<String, Object>>) document.get("services");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
