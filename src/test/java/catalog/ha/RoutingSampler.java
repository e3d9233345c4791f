package catalog.ha;

import catalog.lab.HaCluster;
import catalog.lab.HaproxyServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Reads every HAProxy's statistics page every 250 ms and keeps which servers its write backend
 * counts UP and checked: two at once would send writes to two nodes. A sample that cannot be read
 * (HAProxy restarting) is simply missing.
 */
final class RoutingSampler implements AutoCloseable {
    private static final long PACE_MILLIS = 250;

    /** The write backend's routable servers in one HAProxy at one moment. */
    record Sample(String haproxy, long atMillis, List<String> writeServers) {}

    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;

    RoutingSampler(List<HaproxyServer> haproxies, LongSupplier clock) {
        thread = new Thread(() -> {
            while (running) {
                for (int i = 0; i < haproxies.size(); i++) {
                    try {
                        List<String> up = haproxies.get(i).upIn(HaCluster.WRITE_BACKEND);
                        samples.add(new Sample("haproxy-" + (i + 1), clock.getAsLong(), up));
                    } catch (Exception e) {
                        // restarting or cut: no sample
                    }
                }
                try {
                    Thread.sleep(PACE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "routing-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
