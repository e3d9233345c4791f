package catalog.products;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient.ApiResponse;
import catalog.ApiClient;
import catalog.lab.Eventually;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * POST /products with an Idempotency-Key against a real PostgreSQL: each rule of the key, seen by a
 * client and checked in the tables. Every key is new per scenario, so scenarios share the stack.
 */
@DisplayName("Idempotency-Key on POST /products")
class IdempotencyKeyIT extends ApiOnTheStandaloneStack {
    private static final String KEY = "Idempotency-Key";


    @Test
    @DisplayName("a retry with the same key and the same product gets the first answer, marked as a replay, and no second row")
    void retryIsReplayed() {
        String key = newKey();
        ApiResponse first = api.post("/products", ApiClient.product("Clavier", "49.90", 12), KEY, key);
        // The same product written another way: field order, white space, 49.9 for 49.90.
        ApiResponse retry = api.post("/products", "{ \"stock\": 12, \"price\": 49.9, \"name\": \"Clavier\" }", KEY, key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(retry.status()).isEqualTo(201);
        assertReplayOf(first, retry);
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(rowsNamed("Clavier", first)).isEqualTo(1);
    }

    @Test
    @DisplayName("the same key with another product is a 422 and writes nothing")
    void otherProductIsRefused() {
        String key = newKey();
        ApiResponse first = api.post("/products", ApiClient.product("Souris", "19.99", 5), KEY, key);
        long rows = stack.productRows();

        ApiResponse other = api.post("/products", ApiClient.product("Souris", "19.99", 6), KEY, key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get("detail").getAsString()).contains("another product");
        assertThat(stack.productRows()).isEqualTo(rows);
    }

    @Test
    @DisplayName("a retry while the first request is still in its transaction is a 409 at once; after it, the replay")
    void retryWhileRunningIsAConflict() throws Exception {
        String key = newKey();
        String body = ApiClient.product("Écran", "199.00", 2);
        CompletableFuture<ApiResponse> first;
        ApiResponse during;
        // Holding the table lock keeps the first POST inside its transaction (it holds the key's lock).
        try (Connection blocker = DriverManager.getConnection(stack.postgres().getJdbcUrl(),
                stack.postgres().getUsername(), stack.postgres().getPassword());
             Statement statement = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            statement.execute("LOCK TABLE products IN EXCLUSIVE MODE");
            first = CompletableFuture.supplyAsync(() -> api.post("/products", body, KEY, key));
            Eventually.until(Duration.ofSeconds(5), () -> stack.query(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"), "1"::equals,
                    "the first POST holding its key's lock");
            during = api.post("/products", body, KEY, key);
            blocker.rollback();
        }
        ApiResponse created = first.get();
        ApiResponse after = api.post("/products", body, KEY, key);

        assertThat(during.status()).isEqualTo(409);
        assertThat(during.header("Retry-After")).isEqualTo("1");
        assertThat(during.elapsed()).as("the 409 does not wait for the lock").isLessThan(Duration.ofSeconds(1));
        assertThat(created.status()).isEqualTo(201);
        assertReplayOf(created, after);
    }

    @Test
    @DisplayName("the key is stored in PostgreSQL: a retry through another API instance gets the same answer")
    void keySurvivesTheInstance() {
        String key = newKey();
        ApiResponse first = api.post("/products", ApiClient.product("Câble", "5.00", 100), KEY, key);
        ApiClient other = stack.startApi().client();

        ApiResponse retry = other.post("/products", ApiClient.product("Câble", "5.00", 100), KEY, key);

        assertReplayOf(first, retry);
    }

    @Test
    @DisplayName("a refused body stores no key: the same key then creates the product")
    void refusedBodyStoresNothing() {
        String key = newKey();
        ApiResponse refused = api.post("/products", "{\"name\":\"Clé\",\"price\":1.001}", KEY, key);
        ApiResponse created = api.post("/products", ApiClient.product("Clé", "1.00", 0), KEY, key);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Idempotent-Replayed")).isNull();
    }

    @Test
    @DisplayName("keys expire after IDEMPOTENCY_KEY_TTL_SECONDS: the key is free again, and expired keys are purged")
    void keysExpire() {
        ApiClient shortLived = stack.startApi(s -> s.idempotencyKeyTtl(Duration.ofSeconds(1))).client();
        String reused = newKey();
        String forgotten = newKey();
        ApiResponse first = shortLived.post("/products", ApiClient.product("Tapis", "9.00", 1), KEY, reused);
        shortLived.post("/products", ApiClient.product("Tapis", "9.00", 1), KEY, forgotten);

        Eventually.until(Duration.ofSeconds(10), () -> stack.query("SELECT count(*) FROM idempotency_keys WHERE key = '"
                + forgotten + "'"), "0"::equals, "the purge of the expired key");
        ApiResponse again = shortLived.post("/products", ApiClient.product("Tapis", "9.50", 1), KEY, reused);

        assertThat(again.status()).as("an expired key is not a reused key").isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isNull();
        assertThat(again.data().get("id").getAsLong()).isNotEqualTo(first.data().get("id").getAsLong());
    }

    @Test
    @DisplayName("a key with non-ASCII bytes on the wire is a 400 (java.net.http cannot send them, so a raw socket does)")
    void nonAsciiKeyIsRefused() throws Exception {
        String body = ApiClient.product("Clé", "1.00", 0);
        byte[] utf8 = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /products HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Authorization: Bearer " + ApiClient.DEV_KEY + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + utf8.length + "\r\n"
                + "Idempotency-Key: cl").getBytes(StandardCharsets.US_ASCII);
        long rows = stack.productRows();
        String answer;
        try (Socket socket = new Socket("localhost", api.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(new byte[] {(byte) 0xC3, (byte) 0xA9, '\r', '\n', '\r', '\n'});   // "é" in UTF-8
            out.write(utf8);
            out.flush();
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(answer).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/problem+json")
                .contains("visible ASCII");
        assertThat(stack.productRows()).isEqualTo(rows);
    }

    private long rowsNamed(String name, ApiResponse created) {
        return Long.parseLong(stack.query("SELECT count(*) FROM products WHERE name = '" + name + "' AND id >= "
                + created.data().get("id").getAsLong()));
    }

    private static String newKey() {
        return UUID.randomUUID().toString();
    }

    /** Then: the retry was not run again; it got the first answer, marked as a replay. */
    private static void assertReplayOf(ApiResponse first, ApiResponse retry) {
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.body()).isEqualTo(first.body());
    }
}
