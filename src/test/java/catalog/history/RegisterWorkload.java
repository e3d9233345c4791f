package catalog.history;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Clients that read and replace a few products through the API as fast as it answers, each request
 * recorded in a {@link History} for the linearizability checker. A product is a register: a write
 * is a PUT whose {@code name} is unique ("c3-17": client 3's 17th write; price and stock stay the
 * same), a read is a GET that returns the name, or 404 (null). The products are created first; their
 * names are the history's initial values.
 *
 * <p>How an answer is recorded ({@link History.Fate}): 2xx (and a read's 404) OK; a write refused
 * with a 4xx, or a connection refused before anything was sent, FAILED; a timeout, a lost
 * connection, or a 5xx (a 503 may come after the write reached the database) UNKNOWN; after an
 * UNKNOWN write the client backs off writing (reads go on, see MAX_WRITE_BACK_OFF). The load
 * stops by itself after its time or its operations, whichever comes first. Requests go through
 * {@link ApiClient}, so each exchange is also checked against openapi.yaml.
 */
public final class RegisterWorkload implements AutoCloseable {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration NO_PAUSE = Duration.ZERO;
    /**
     * After a write whose fate is unknown, the client only reads for 1 s, then 2, 4, 8, 16 s after
     * each further one, until a write is acknowledged. An unknown write stays pending to the end of
     * the history, and Porcupine's search grows exponentially with the writes pending on a key: in a
     * catalogue run, 38 unknown writes on 3 keys took 1.3 s to check, 65 got no verdict in 60 s.
     * The back-off keeps a 40 s outage to about 6 per client; every request made is still recorded.
     */
    private static final Duration MAX_WRITE_BACK_OFF = Duration.ofSeconds(16);
    private static final String PRICE = "1.00";
    private static final int STOCK = 1;

    private final ApiClient api;
    private final History history;
    private final List<String> keys = new ArrayList<>();
    private final List<Thread> clients = new ArrayList<>();
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private final Duration runFor;
    private long endNanos;
    private final int maxOperations;
    private final Duration pause;
    private final Duration requestTimeout;
    private volatile boolean stopped;

    private RegisterWorkload(URI api, History history, Duration runFor, int maxOperations, Duration pause, Duration requestTimeout) {
        this.api = new ApiClient(api, requestTimeout);
        this.history = history;
        this.runFor = runFor;
        this.maxOperations = maxOperations;
        this.pause = pause;
        this.requestTimeout = requestTimeout;
    }

    /**
     * Creates {@code products} products on the API at {@code api} and starts {@code clients} clients
     * on them, for {@code runFor} or {@code maxOperations} requests in all.
     */
    public static RegisterWorkload start(URI api, History history, int clients, int products, Duration runFor, int maxOperations) {
        return start(api, history, clients, products, runFor, maxOperations, NO_PAUSE, REQUEST_TIMEOUT);
    }

    /**
     * As above, each client pausing {@code pause} after every request (a load beside another one,
     * whose timings must not change much), each request given {@code requestTimeout}.
     */
    public static RegisterWorkload start(URI api, History history, int clients, int products, Duration runFor,
            int maxOperations, Duration pause, Duration requestTimeout) {
        RegisterWorkload load = new RegisterWorkload(api, history, runFor, maxOperations, pause, requestTimeout);
        for (int i = 1; i <= products; i++) {
            String name = "initial-" + i;
            String key = String.valueOf(load.api.create(name, PRICE, STOCK));
            history.initial(key, name);
            load.keys.add(key);
        }
        // The time bound starts with the clients, not before the products were created; each client
        // sees it, as Thread.start publishes what was written before it.
        load.endNanos = System.nanoTime() + runFor.toNanos();
        for (int client = 1; client <= clients; client++) {
            int id = client;
            Thread thread = new Thread(() -> load.run(id), "register-client-" + client);
            thread.setDaemon(true);
            load.clients.add(thread);
            thread.start();
        }
        return load;
    }

    /** Waits until the clients stop by themselves (time or count), at most {@code within}. */
    public void awaitEnd(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        for (Thread client : clients) {
            client.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        if (clients.stream().anyMatch(Thread::isAlive)) {
            throw new IllegalStateException("the register clients did not stop within " + within);
        }
        rethrowClientError();
    }

    private void run(int client) {
        int writes = 0;
        long writesFrom = 0;
        long backOffMillis = 0;
        try {
            while (!stopped && System.nanoTime() < endNanos && started.incrementAndGet() <= maxOperations) {
                String key = keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
                if (ThreadLocalRandom.current().nextBoolean() && System.nanoTime() - writesFrom >= 0) {
                    History.Fate fate = write(client, key, "c" + client + "-" + (++writes));
                    if (fate == History.Fate.UNKNOWN) {
                        backOffMillis = Math.min(MAX_WRITE_BACK_OFF.toMillis(), Math.max(1000, 2 * backOffMillis));
                        writesFrom = System.nanoTime() + backOffMillis * 1_000_000;
                    } else if (fate == History.Fate.OK) {
                        backOffMillis = 0;
                    }
                } else {
                    read(client, key);
                }
                if (!pause.isZero()) {
                    Thread.sleep(pause.toMillis());
                }
            }
        } catch (Throwable e) {
            // A contract violation or a bug here: the first one is rethrown to the test by awaitEnd.
            firstError.compareAndSet(null, e);
        }
    }

    private History.Fate write(int client, String key, String name) {
        History.Call call = history.invoke(client, key, History.Op.WRITE, name);
        ApiResponse response;
        try {
            response = api.put("/products/" + key, ApiClient.product(name, PRICE, STOCK));
        } catch (UncheckedIOException e) {
            return settleUnanswered(call, e);
        }
        if (response.status() / 100 == 2) {
            history.ok(call);
            return History.Fate.OK;
        } else if (response.status() / 100 == 4) {
            history.failed(call);
            return History.Fate.FAILED;
        }
        history.unknown(call);
        return History.Fate.UNKNOWN;
    }

    private void read(int client, String key) {
        History.Call call = history.invoke(client, key, History.Op.READ, null);
        ApiResponse response;
        try {
            response = api.get("/products/" + key);
        } catch (UncheckedIOException e) {
            settleUnanswered(call, e);
            return;
        }
        if (response.status() == 200) {
            history.ok(call, response.data().get("name").getAsString());
        } else if (response.status() == 404) {
            history.ok(call, null);
        } else if (response.status() / 100 == 4) {
            history.failed(call);
        } else {
            history.unknown(call);
        }
    }

    /** No answer: FAILED only when the request certainly never left (no connection), else UNKNOWN. */
    private History.Fate settleUnanswered(History.Call call, UncheckedIOException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
                history.failed(call);
                return History.Fate.FAILED;
            }
        }
        history.unknown(call);
        return History.Fate.UNKNOWN;
    }

    /** Stops the clients, waits for them, and rethrows the first error one of them met (e.g. a contract violation). */
    public void stop() {
        close();
        rethrowClientError();
    }

    private void rethrowClientError() {
        Throwable error = firstError.get();
        if (error instanceof Error e) {
            throw e;
        }
        if (error != null) {
            throw new IllegalStateException("a register client failed", error);
        }
    }

    /** Stops the clients early (they finish the request under way) and waits for them. */
    @Override
    public void close() {
        stopped = true;
        try {
            for (Thread client : clients) {
                client.join(requestTimeout.plus(pause).plusSeconds(5).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
