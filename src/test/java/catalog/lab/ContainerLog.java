package catalog.lab;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.testcontainers.containers.GenericContainer;

/**
 * A container's log lines with the engine's timestamps, from a moment on: when Patroni demoted
 * itself, where HAProxy sent each connection. The engine stamps each line as it arrives, on this
 * machine's clock, so the moments compare with the test's own.
 */
public final class ContainerLog {
    /** One line and when the engine received it. */
    public record Line(Instant at, String text) {}

    private ContainerLog() {}

    public static List<Line> since(GenericContainer<?> container, Instant since) {
        List<Line> lines = new ArrayList<>();
        StringBuilder partial = new StringBuilder();
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                partial.append(new String(frame.getPayload()));
                int end;
                while ((end = partial.indexOf("\n")) >= 0) {
                    String raw = partial.substring(0, end);
                    partial.delete(0, end + 1);
                    int space = raw.indexOf(' ');
                    if (space > 0) {
                        Instant at = Instant.parse(raw.substring(0, space));
                        if (!at.isBefore(since)) {
                            lines.add(new Line(at, raw.substring(space + 1)));
                        }
                    }
                }
            }
        };
        try {
            container.getDockerClient().logContainerCmd(container.getContainerId())
                    .withStdOut(true).withStdErr(true).withTimestamps(true)
                    .withSince((int) since.getEpochSecond())
                    .exec(callback).awaitCompletion(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The first line since {@code since} that matches. */
    public static Optional<Line> first(GenericContainer<?> container, Instant since, Predicate<String> matches) {
        return since(container, since).stream().filter(l -> matches.test(l.text())).findFirst();
    }
}
