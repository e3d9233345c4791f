package catalog.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import catalog.access.Client;
import catalog.access.Gate;
import catalog.admission.Lane;
import catalog.admission.Shedding;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP server: routes each exchange, turns exceptions into problem+json, writes the reply and
 * records access metrics. Handlers run on a fixed pool of worker threads, sized for blocking JDBC
 * calls (the JDK server's default is a single thread), fed by a bounded {@link WorkQueue}: a request
 * it cannot start in time is answered 503 with Retry-After instead of waiting.
 *
 * <p>The JDK server's own settings (TCP_NODELAY, a bound on reading a request) are JVM-wide and
 * read once: {@code catalog.ops.JvmSettings} applies them; this class changes nothing outside itself.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ApiServer.class.getName());

    private final HttpServer server;
    private final WorkQueue workers;
    private final Lane writes;
    private final Shedding shedding;
    private final Set<String> neverShed;
    private final Router router;
    private final Gate gate;
    private final RequestBody body;
    private final AccessMetrics metrics;
    private final Map<Class<? extends Exception>, Function<Exception, Problem>> mappers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final BodyDrain drain = new BodyDrain();

    private ApiServer(Builder builder) throws IOException {
        this.router = builder.router;
        this.gate = builder.gate;
        this.body = new RequestBody(builder.bodyLimit);
        this.metrics = builder.metrics;
        this.mappers = new LinkedHashMap<>(builder.mappers);   // in registration order: first match wins
        this.workers = new WorkQueue(new Lane.Bounds(builder.threads, builder.queueMax, builder.queueWait));
        this.writes = builder.writes;
        this.shedding = builder.shedding;
        this.neverShed = Set.copyOf(builder.neverShed);
        this.server = HttpServer.create(new InetSocketAddress(builder.port), 1024);
        server.createContext("/", this::dispatch);
        server.setExecutor(workers);
        server.start();
    }

    public static Builder builder(Router router, AccessMetrics metrics) {
        return new Builder(router, metrics);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Requests waiting for a worker now (tests and /metrics read it). */
    int waiting() {
        return workers.waiting();
    }

    /**
     * One exchange on its way through: what was asked, by whom (once the gate has said), and since
     * when (for the access metrics).
     */
    private record Incoming(HttpExchange exchange, String method, String path, long start, Client client) {
        static Incoming of(HttpExchange exchange) {
            // Raw: the router decodes each segment itself (an encoded slash stays in its segment), and a
            // problem's instance must be a URI reference, not the decoded text.
            return new Incoming(exchange, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), System.nanoTime(),
                    Client.ANONYMOUS);
        }

        Incoming from(Client who) {
            return new Incoming(exchange, method, path, start, who);
        }
    }

    private void dispatch(HttpExchange exchange) {
        exchange.setStreams(new CountedBody(exchange.getRequestBody()), null);   // for BodyDrain
        Incoming arrived = Incoming.of(exchange);
        inFlight.incrementAndGet();
        Router.Match match;
        try {
            match = router.match(arrived.method(), arrived.path());
        } catch (Exception e) {
            answer(arrived, AccessMetrics.UNMATCHED, problemFor(e).toReply(arrived.path()));
            return;
        }
        Incoming request;
        try {
            // Before any body is read and before the request takes a place in a lane.
            request = arrived.from(gate.admit(arrived.method(), headerValues(exchange, "Authorization")));
        } catch (Problem refused) {
            answer(arrived, match.template(), refused.toReply(arrived.path()));
            return;
        }
        Shedding.Reason verdict = neverShed.contains(request.path()) ? null : workers.verdict();
        if (verdict == null && writes != null && Gate.isWrite(request.method())) {
            // Writes run in their own lane: a stalled write path holds its threads, not the workers.
            writes.submit(() -> handle(request, match, null), reason -> handle(request, match, reason));
            return;
        }
        handle(request, match, verdict);
    }

    private static List<String> headerValues(HttpExchange exchange, String name) {
        List<String> values = exchange.getRequestHeaders().get(name);
        return values == null ? List.of() : values;
    }

    /** Runs the route's handler, or answers 503 when the request was shed; always closes the exchange. */
    private void handle(Incoming request, Router.Match match, Shedding.Reason shed) {
        Reply reply;
        if (shed != null) {
            shedding.count(shed);
            reply = Problem.serviceUnavailable(shed.detail(), shed.retryAfterSeconds()).toReply(request.path());
        } else {
            try {
                reply = match.handler().handle(new Call(request.exchange(), match.parameters(), body, request.client()));
            } catch (Exception e) {
                reply = problemFor(e).toReply(request.path());
            } catch (Error e) {
                // An OutOfMemoryError in a small heap is often local to one large request: answer it
                // and let the others go on (its own allocation may fail too: answer() still closes).
                LOG.log(Level.SEVERE, "error while answering a request", e);
                reply = Problem.internal().toReply(request.path());
            }
        }
        answer(request, match.template(), reply);
    }

    private void answer(Incoming request, String route, Reply reply) {
        HttpExchange exchange = request.exchange();
        try {
            // Counted before the answer leaves: a client that has its answer sees it in /metrics.
            metrics.record(request.method(), route, request.client().name(), reply.status(), System.nanoTime() - request.start());
            if (!drain.finish(exchange)) {
                exchange.getResponseHeaders().set("Connection", "close");
            }
            send(exchange, reply);
        } catch (IOException e) {
            // The client went away while we answered; nothing left to tell it.
            LOG.log(Level.FINE, "client disconnected", e);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "failed to send an answer", e);
        } finally {
            exchange.close();
            inFlight.decrementAndGet();
        }
    }

    private Problem problemFor(Exception e) {
        if (e instanceof Problem problem) {
            return problem;
        }
        for (Map.Entry<Class<? extends Exception>, Function<Exception, Problem>> mapper : mappers.entrySet()) {
            if (mapper.getKey().isInstance(e)) {
                return mapper.getValue().apply(e);
            }
        }
        LOG.log(Level.SEVERE, "unexpected failure while answering a request", e);
        return Problem.internal();
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        List<String> headers = reply.headers();
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            exchange.getResponseHeaders().add(headers.get(i), headers.get(i + 1));
        }
        byte[] bytes = reply.body();
        if (bytes.length == 0) {
            exchange.sendResponseHeaders(reply.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Stops accepting, lets in-flight requests finish for at most {@code graceSeconds}, then stops
     * the workers. The JDK 17 server waits the whole delay when nothing is in flight (JDK-8304065),
     * so an idle server is stopped at once.
     */
    public void stop(int graceSeconds) {
        server.stop(inFlight.get() == 0 ? 0 : graceSeconds);
        if (writes != null) {
            writes.shutdown();
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(Math.max(1, graceSeconds), TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            drain.close();
        }
    }

    @Override
    public void close() {
        stop(0);
    }

    /** Port, threads, body limit and exception mappers; {@link #start()} binds the socket. */
    public static final class Builder {
        private final Router router;
        private final AccessMetrics metrics;
        private final Map<Class<? extends Exception>, Function<Exception, Problem>> mappers = new LinkedHashMap<>();
        private final Set<String> neverShed = new HashSet<>();
        private int port;
        private int threads = 32;
        private int queueMax = 256;
        private Duration queueWait = Duration.ofMillis(500);
        private Shedding shedding = new Shedding();
        private Gate gate = Gate.OPEN;
        private Lane writes;
        private int bodyLimit = RequestBody.DEFAULT_LIMIT;

        private Builder(Router router, AccessMetrics metrics) {
            this.router = router;
            this.metrics = metrics;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * The work queue's bounds: at most {@code max} requests wait for a worker (one more is
         * answered 503 at once), and one that waited longer than {@code wait} is answered 503.
         */
        public Builder queue(int max, Duration wait, Shedding counter) {
            this.queueMax = max;
            this.queueWait = wait;
            this.shedding = counter;
            return this;
        }

        /**
         * Runs POST, PUT and DELETE requests in this lane instead of on the request workers, so
         * writes that stall hold the lane's threads only.
         */
        public Builder writes(Lane lane) {
            this.writes = lane;
            return this;
        }

        /** Who may send which requests (default: everyone, everything). */
        public Builder gate(Gate gate) {
            this.gate = gate;
            return this;
        }

        /** A path answered even when the queue sheds (cheap operational endpoints such as liveness). */
        public Builder neverShed(String path) {
            neverShed.add(path);
            return this;
        }

        public Builder bodyLimit(int bytes) {
            this.bodyLimit = bytes;
            return this;
        }

        /** How an exception from a lower layer (e.g. the database is down) becomes a problem. */
        @SuppressWarnings("unchecked")
        public <E extends Exception> Builder map(Class<E> type, Function<? super E, Problem> mapper) {
            mappers.put(type, e -> mapper.apply((E) e));
            return this;
        }

        public ApiServer start() throws IOException {
            return new ApiServer(this);
        }
    }
}
