package catalog.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A client for the in-process API that times every request, as the original's PowerShell did. */
final class ApiClient {
    /** One response and how long it took, end to end. */
    record Answer(int status, String body, String xCache, double millis) {
        /** The {@code "cache"} field of a database answer ("available"/"unavailable"), or null on a hit. */
        String cacheField() {
            Matcher m = Pattern.compile("\"cache\":\"([a-z]+)\"").matcher(body);
            return m.find() ? m.group(1) : null;
        }

        String source() {
            Matcher m = Pattern.compile("\"source\":\"([a-z]+)\"").matcher(body);
            return m.find() ? m.group(1) : null;
        }

        /** The product's price as the body states it, e.g. "12.50". */
        String price() {
            Matcher m = Pattern.compile("\"price\":\"?([0-9.]+)").matcher(body);
            return m.find() ? m.group(1) : null;
        }
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiClient(URI base) {
        this.base = base;
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer put(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Creates a product and returns its id. */
    long create(String name, String price) {
        Answer created = post("/products", "{\"name\":\"" + name + "\",\"price\":" + price + ",\"stock\":1}");
        if (created.status() != 201) {
            throw new IllegalStateException("create failed: " + created);
        }
        Matcher m = Pattern.compile("\"id\":([0-9]+)").matcher(created.body());
        if (!m.find()) {
            throw new IllegalStateException("no id in " + created.body());
        }
        return Long.parseLong(m.group(1));
    }

    Answer setPrice(long id, String name, String price) {
        return put("/products/" + id, "{\"name\":\"" + name + "\",\"price\":" + price + ",\"stock\":1}");
    }

    /** One sample of a Prometheus counter/gauge from /metrics, e.g. ("cache_lookups_total", "result=\"hit\""). */
    double metric(String family, String labels) {
        String text = get("/metrics").body();
        String prefix = labels.isEmpty() ? family + " " : family + "{" + labels + "} ";
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(prefix.length()).trim());
            }
        }
        throw new IllegalStateException("no " + prefix + "in /metrics:\n" + text);
    }

    private Answer send(HttpRequest.Builder request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            double millis = (System.nanoTime() - start) / 1e6;
            return new Answer(response.statusCode(), response.body(),
                    response.headers().firstValue("X-Cache").orElse(null), millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
