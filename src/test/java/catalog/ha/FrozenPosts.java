package catalog.ha;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A burst of POSTs, each with a name of its own, sent at once through the front while an instance
 * is frozen, so that the front gives about half of them to the frozen one before its check takes
 * it out. The client waits longer than the front does ({@code timeout server} of front.cfg), so
 * every answer is the front's. Rows are then counted by name: a POST the front sent twice would
 * show as two rows once the frozen instance thaws and commits its copy.
 */
final class FrozenPosts {
    /** front.cfg's {@code timeout server}. */
    static final long FRONT_SERVER_TIMEOUT_MS = 5_000;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    /** What the client saw for one POST. */
    record Outcome(String name, int status, String instance, long millis, String retryAfter, String contentType) {
        boolean problemWithRetryAfter() {
            return !retryAfter.isEmpty() && contentType.startsWith("application/problem+json");
        }
    }

    private final List<String> names = new ArrayList<>();
    private final String prefix = "sent once " + UUID.randomUUID() + " #";
    private final ApiClient api;

    FrozenPosts(URI front, int count) {
        this.api = new ApiClient(front, CLIENT_TIMEOUT);
        for (int i = 1; i <= count; i++) {
            names.add(prefix + i);
        }
    }

    /** Sends every POST at once (a connection each) and waits for every answer. */
    List<Outcome> sendAll() {
        // A thread per POST: the common pool has one thread on a two-core machine.
        ExecutorService senders = Executors.newFixedThreadPool(names.size());
        try {
            List<CompletableFuture<Outcome>> pending = names.stream()
                    .map(name -> CompletableFuture.supplyAsync(() -> send(name), senders)).toList();
            return pending.stream().map(CompletableFuture::join).toList();
        } finally {
            senders.shutdownNow();
        }
    }

    /** Through {@link ApiClient}: each exchange is checked against openapi.yaml like any scenario's. */
    private Outcome send(String name) {
        long started = System.nanoTime();
        try {
            ApiResponse response = api.post("/products", ApiClient.product(name, "1.00", 1));
            return new Outcome(name, response.status(), orEmpty(response.header("X-Api-Instance")),
                    (System.nanoTime() - started) / 1_000_000, orEmpty(response.header("Retry-After")),
                    orEmpty(response.contentType()));
        } catch (UncheckedIOException e) {
            return new Outcome(name, -1, e.getCause().toString(), (System.nanoTime() - started) / 1_000_000, "", "");
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** How many rows carry each of the burst's names. */
    Map<String, Integer> rowsByName(Connection connection) throws SQLException {
        Map<String, Integer> rows = new HashMap<>();
        try (PreparedStatement s = connection.prepareStatement(
                "select name, count(*) from products where name like ? group by name")) {
            s.setString(1, prefix.replace("%", "\\%").replace("_", "\\_") + "%");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return rows;
    }
}
