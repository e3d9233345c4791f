package catalog.ha;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    static final long FRONT_SERVER_TIMEOUT_MS = 10_000;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    /** What the client saw for one POST. */
    record Outcome(String name, int status, String instance, long millis, String retryAfter, String contentType) {
        boolean problemWithRetryAfter() {
            return !retryAfter.isEmpty() && contentType.startsWith("application/problem+json");
        }
    }

    private final URI front;
    private final List<String> names = new ArrayList<>();
    private final String prefix = "sent once " + UUID.randomUUID() + " #";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    FrozenPosts(URI front, int count) {
        this.front = front;
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

    private Outcome send(String name) {
        String body = "{\"name\":\"" + name + "\",\"price\":1.00,\"stock\":1}";
        HttpRequest request = HttpRequest.newBuilder(front.resolve("/products")).timeout(CLIENT_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Outcome(name, response.statusCode(), response.headers().firstValue("X-Api-Instance").orElse(""),
                    (System.nanoTime() - started) / 1_000_000, response.headers().firstValue("Retry-After").orElse(""),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            return new Outcome(name, -1, e.toString(), (System.nanoTime() - started) / 1_000_000, "", "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
