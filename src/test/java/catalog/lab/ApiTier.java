package catalog.lab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testcontainers.containers.Network;

/**
 * The API tier of the lab: one instance reached directly (as most scenarios need), or two
 * instances behind the HTTP front, as docker-compose.yml runs them. Scenarios send their load to
 * {@link #entry()} and break an instance with the lab's {@link Faults}.
 */
public final class ApiTier implements AutoCloseable {
    private final List<ApiContainer> instances;
    private final FrontServer front;

    private ApiTier(List<ApiContainer> instances, FrontServer front) {
        this.instances = instances;
        this.front = front;
    }

    /** One instance named {@code api}, no front. */
    public static ApiTier oneInstance(String image, Network network, Map<String, String> environment) {
        return new ApiTier(List.of(new ApiContainer(image, network, "api", environment)), null);
    }

    /** {@code api-1} and {@code api-2} (compose's names) behind the front. */
    public static ApiTier behindFront(LabImages images, String image, Network network, Map<String, String> environment) {
        List<String> names = List.of("api-1", "api-2");
        List<ApiContainer> instances = names.stream().map(name -> new ApiContainer(image, network, name, environment)).toList();
        return new ApiTier(instances, new FrontServer(images, network, names));
    }

    /** Starts every instance, then the front; returns once the front counts every instance UP. */
    public void start() {
        instances.forEach(ApiContainer::start);
        if (front != null) {
            front.start();
            awaitWhole(Duration.ofSeconds(30));
        }
    }

    /** Where clients send requests: the front, or the only instance. Looked up on every call. */
    public URI entry() {
        return front != null ? front.baseUri() : instances.get(0).baseUri();
    }

    public List<ApiContainer> instances() {
        return instances;
    }

    /** The instance with this lab name, e.g. {@code api-1}. */
    public ApiContainer instance(String name) {
        return instances.stream().filter(i -> i.getNetworkAliases().contains(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no API instance " + name));
    }

    /** The instance's lab name ({@code api-1}), the one the front's X-Api-Instance header gives. */
    public static String nameOf(ApiContainer instance) {
        return instance.getNetworkAliases().stream().filter(a -> a.startsWith("api")).findFirst()
                .orElseThrow(() -> new IllegalStateException("an API instance without an api* name"));
    }

    public Optional<FrontServer> front() {
        return Optional.ofNullable(front);
    }

    /**
     * Waits until every instance runs and answers its own /health/live and, with a front, the front
     * counts each UP (HAProxy shows a server whose name resolves again as UP before its next check,
     * so the front's word alone would pass while the instance's JVM is still starting).
     */
    public void awaitWhole(Duration within) {
        List<String> names = instances.stream().map(ApiTier::nameOf).toList();
        Eventually.until(within, () -> instances.stream().allMatch(i -> Faults.isRunning(i) && live(i))
                        && (front == null || front.countsUp(names)) ? "whole" : "front counts UP " + (front == null ? "-" : upOrError()),
                "whole"::equals, "the API tier whole");
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private boolean live(ApiContainer instance) {
        try {
            HttpRequest request = HttpRequest.newBuilder(instance.baseUri().resolve("/health/live"))
                    .timeout(Duration.ofSeconds(1)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String upOrError() {
        try {
            return front.upInstances().toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        if (front != null) {
            front.close();
        }
        instances.forEach(ApiContainer::close);
    }
}
