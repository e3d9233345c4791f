package catalog.lab;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import com.google.gson.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Products created through the API at a steady pace, each remembered with its content and the
 * moment its 201 arrived: what a restore must bring back. A POST that failed or timed out is not
 * remembered (it was never acknowledged).
 */
public final class AcknowledgedProducts implements AutoCloseable {
    /** One acknowledged product; {@code ackedAt} in epoch milliseconds. */
    public record Acknowledged(long id, String name, String price, int stock, long ackedAt) {}

    private final ApiClient api;
    private final String label;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final List<Acknowledged> acknowledged = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();

    /** Starts a POST every {@code every}; names carry {@code label} and a number. */
    public AcknowledgedProducts(URI front, String label, Duration every) {
        this.api = new ApiClient(front, Duration.ofSeconds(5));
        this.label = label;
        writer.scheduleWithFixedDelay(this::createOne, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void createOne() {
        long n = sequence.incrementAndGet();
        String name = label + " #" + n;
        String price = (n % 1000) + "." + String.format("%02d", n % 100);
        int stock = (int) (n % 50);
        try {
            ApiResponse response = api.post("/products", ApiClient.product(name, price, stock));
            if (response.status() == 201) {
                long id = response.json().getAsJsonObject("data").get("id").getAsLong();
                acknowledged.add(new Acknowledged(id, name, price, stock, System.currentTimeMillis()));
            } else {
                failures.incrementAndGet();
            }
        } catch (RuntimeException e) {
            failures.incrementAndGet();
        }
    }

    /** Waits until {@code count} more products are acknowledged. */
    public void awaitMore(int count, Duration within) throws InterruptedException {
        int target = acknowledged().size() + count;
        long deadline = System.nanoTime() + within.toNanos();
        while (acknowledged().size() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(label + ": fewer than " + target + " products acknowledged within " + within
                        + " (" + failures.get() + " POSTs failed)");
            }
            Thread.sleep(100);
        }
    }

    public List<Acknowledged> acknowledged() {
        synchronized (acknowledged) {
            return List.copyOf(acknowledged);
        }
    }

    /** POSTs attempted and not acknowledged. */
    public long failures() {
        return failures.get();
    }

    /** Whether the API serves the product now with exactly the acknowledged content. */
    public static boolean servedUnchanged(ApiClient api, Acknowledged product) {
        ApiResponse response = api.get("/products/" + product.id());
        if (response.status() != 200) {
            return false;
        }
        JsonObject data = response.data();
        return data.get("name").getAsString().equals(product.name())
                && data.get("price").getAsBigDecimal().compareTo(new java.math.BigDecimal(product.price())) == 0
                && data.get("stock").getAsInt() == product.stock();
    }

    /** Stops writing; waits for a POST under way. */
    @Override
    public void close() throws InterruptedException {
        writer.shutdown();
        writer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
