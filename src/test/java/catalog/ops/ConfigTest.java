package catalog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import catalog.access.ApiKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfigTest {
    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("DB_PASSWORD", "secret");
        env.put("API_KEYS", "tests:" + ApiKeys.digestOf("tests-key"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    @DisplayName("defaults work against the compose stack's published ports")
    void defaults() {
        Config config = Config.from(env());

        assertThat(config.http().port()).isEqualTo(3000);
        assertThat(config.database().write().url()).isEqualTo("jdbc:postgresql://localhost:5000/products");
        assertThat(config.database().read().url()).isEqualTo(config.database().write().url());
        assertThat(config.database().login().user()).isEqualTo("products");
        assertThat(config.cache().redis().url().toString()).isEqualTo("redis://localhost:6379");
        assertThat(config.cache().ttlSeconds()).isEqualTo(60);
        assertThat(config.cache().redis().timeoutMs()).isEqualTo(1000);
        assertThat(config.toString()).doesNotContain("secret");
    }

    @Test
    @DisplayName("given values are used; a blank value means the default")
    void values() {
        Config config = Config.from(env("PORT", "8080", "DB_READ_URL", "jdbc:postgresql://db:5001/products",
                "REDIS_TIMEOUT_MS", "250", "CACHE_TTL_SECONDS", " ", "REDIS_URL", "rediss://u:p@cache:6380/2"));

        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.database().separateReadPool()).isTrue();
        assertThat(config.cache().redis().timeoutMs()).isEqualTo(250);
        assertThat(config.cache().ttlSeconds()).isEqualTo(60);
        assertThat(config.cache().redis().url().getPort()).isEqualTo(6380);
    }

    @Test
    @DisplayName("an invalid value is refused with one line naming the variable and the expected form")
    void invalid() {
        assertThatThrownBy(() -> Config.from(env("PORT", "abc")))
                .isInstanceOf(ConfigException.class).hasMessage("PORT must be an integer from 0 to 65535 (got \"abc\")");
        assertThatThrownBy(() -> Config.from(env("REDIS_TIMEOUT_MS", "0"))).hasMessageStartingWith("REDIS_TIMEOUT_MS must be");
        assertThatThrownBy(() -> Config.from(env("DB_WRITE_URL", "postgres://x"))).hasMessageStartingWith("DB_WRITE_URL must be");
        assertThatThrownBy(() -> Config.from(env("REDIS_URL", "http://x"))).hasMessageStartingWith("REDIS_URL must be");
        assertThatThrownBy(() -> Config.from(Map.of())).hasMessageStartingWith("DB_PASSWORD is required");
    }

    @Test
    @DisplayName("the defaults work together: no warning")
    void defaultsWarnNothing() {
        assertThat(Config.from(env()).warnings()).isEmpty();
        assertThat(Config.from(env("HTTP_THREADS", "1")).warnings()).isEmpty();
    }

    @Test
    @DisplayName("a read pool smaller than the reads that may run at once is warned about, naming both settings")
    void readPoolBelowReadConcurrency() {
        Config separate = Config.from(env("DB_READ_URL", "jdbc:postgresql://db:5001/products", "DB_READ_POOL_SIZE", "8"));
        Config shared = Config.from(env("DB_WRITE_POOL_SIZE", "8", "DB_WRITE_CONCURRENCY", "4"));

        assertThat(separate.warnings()).singleElement().asString()
                .startsWith("DB_READ_POOL_SIZE is 8, below DB_READ_CONCURRENCY 12").contains("400-650 ms");
        assertThat(shared.warnings()).singleElement().asString()
                .startsWith("DB_WRITE_POOL_SIZE (reads share the write pool) is 8, below DB_READ_CONCURRENCY 12");
    }

    @Test
    @DisplayName("a write pool smaller than the write lane, and reads allowed on every worker, are warned about")
    void writePoolAndReadConcurrency() {
        Config config = Config.from(env("DB_READ_URL", "jdbc:postgresql://db:5001/products",
                "DB_WRITE_POOL_SIZE", "4", "DB_READ_CONCURRENCY", "16"));

        assertThat(config.warnings()).hasSize(2);
        assertThat(config.warnings().get(0)).startsWith("DB_WRITE_POOL_SIZE is 4, below DB_WRITE_CONCURRENCY 8");
        assertThat(config.warnings().get(1)).startsWith("DB_READ_CONCURRENCY 16 is not below HTTP_THREADS 16");
    }

    @Test
    @DisplayName("API keys come from API_KEYS and API_KEYS_FILE (comments and blank lines allowed); reads are open unless API_KEYS_FOR_READS")
    void apiKeys(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), "# the batch jobs\n\nbatch:" + ApiKeys.digestOf("b") + "\n");
        Config config = Config.from(env("API_KEYS", "alice:" + ApiKeys.digestOf("a") + ",bob:" + ApiKeys.digestOf("c") + ":read",
                "API_KEYS_FILE", file.toString(), "API_KEYS_FOR_READS", "true"));

        assertThat(config.access().keys().find("a")).hasValueSatisfying(c -> assertThat(c.name()).isEqualTo("alice"));
        assertThat(config.access().keys().find("b")).hasValueSatisfying(c -> assertThat(c.name()).isEqualTo("batch"));
        assertThat(config.access().keys().find("c")).hasValueSatisfying(c -> assertThat(c.mayWrite()).isFalse());
        assertThat(config.access().readsNeedKey()).isTrue();
        assertThat(Config.from(env()).access().readsNeedKey()).isFalse();
        assertThat(config.toString()).contains("alice", "batch").doesNotContain(ApiKeys.digestOf("a"));
    }

    @Test
    @DisplayName("a malformed key entry stops the start with a message naming its setting, never echoing the digest")
    void malformedApiKeys(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), "carol:not-a-digest\n");
        assertThatThrownBy(() -> Config.from(env("API_KEYS", "alice")))
                .hasMessageStartingWith("API_KEYS: entry 1 is not client:sha256hex");
        assertThatThrownBy(() -> Config.from(env("API_KEYS", "a lice:" + ApiKeys.digestOf("a"))))
                .hasMessageStartingWith("API_KEYS: entry 1 has a client name");
        assertThatThrownBy(() -> Config.from(env("API_KEYS_FILE", file.toString())))
                .hasMessageStartingWith("API_KEYS_FILE: entry 1 (client carol) has no SHA-256 digest");
        assertThatThrownBy(() -> Config.from(env("API_KEYS_FILE", dir.resolve("absent").toString())))
                .hasMessageStartingWith("API_KEYS_FILE " + dir.resolve("absent") + " cannot be read");
        assertThatThrownBy(() -> Config.from(env("API_KEYS_FOR_READS", "yes")))
                .hasMessageStartingWith("API_KEYS_FOR_READS must be true or false");
    }

    @Test
    @DisplayName("no key at all is allowed but warned about: every write will be refused")
    void noKeys() {
        Config config = Config.from(env("API_KEYS", ""));

        assertThat(config.access().keys().isEmpty()).isTrue();
        assertThat(config.warnings()).singleElement().asString().startsWith("API_KEYS and API_KEYS_FILE name no key");
    }

    @Test
    @DisplayName("a password given in a JDBC URL is never printed")
    void jdbcPassword() {
        String printed = Config.from(env("DB_WRITE_URL", "jdbc:postgresql://db:5000/products?user=p&password=hunter2&ssl=true",
                "DB_READ_URL", "jdbc:postgresql://db:5001/products?PASSWORD=hunter3")).toString();

        assertThat(printed).doesNotContain("hunter2").doesNotContain("hunter3").contains("password=***&ssl=true");
    }

    @Test
    @DisplayName("the printed configuration names its parts and never shows a password, of the database or of Redis")
    void printed() {
        String printed = Config.from(env("REDIS_URL", "redis://u:hidden@cache:6380/0")).toString();

        assertThat(printed).contains("http=Http[", "database=Database[", "cache=Cache[", "admission=Admission[", "cache:6380")
                .doesNotContain("secret").doesNotContain("hidden");
    }
}
