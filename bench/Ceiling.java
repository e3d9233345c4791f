// The ceiling of com.sun.net.httpserver on this machine, for bench/run.sh: a constant product JSON
// per request, no Redis, no database, with the API's worker settings (HTTP_THREADS workers,
// TCP_NODELAY). Run with the JDK's source launcher: java bench/Ceiling.java PORT THREADS
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

public class Ceiling {
    public static void main(String[] args) throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        byte[] body = "{\"source\":\"cache\",\"data\":{\"id\":42,\"name\":\"seeded product 42\",\"price\":0.42,\"stock\":42}}"
                .getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.start();
    }
}
