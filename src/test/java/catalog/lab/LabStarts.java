package catalog.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * How many times each kind of lab was started in this run, printed when the run ends
 * ({@code [labs] started: standalone 1, cache 1, ha 1, compose 1, backup 1, front 1, hosts 1}) and
 * written to {@code lab-starts.txt} beside the spec report: a shared lab started twice is a cost to
 * see. The shared labs count themselves (SharedLabExtension); a class that starts a lab of its own
 * (the compose stack, the backup rows' stack, the front's keep-alive lab, the hosts) counts it here.
 * Kept in the root store, put there before any lab: the store closes its values in the reverse
 * order, so this is closed after every lab.
 */
public final class LabStarts implements AutoCloseable {
    /** Every kind, so a run that started none of one kind says 0 rather than nothing. */
    private static final String[] KINDS = {"standalone", "cache", "ha", "compose", "backup", "front", "hosts"};

    private final Map<String, Integer> starts = new LinkedHashMap<>();

    private LabStarts() {
        for (String kind : KINDS) {
            starts.put(kind, 0);
        }
    }

    /** The run's tally, created by the first lab of the run. */
    public static LabStarts of(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(LabStarts.class, k -> new LabStarts(), LabStarts.class);
    }

    /** Counts a start of the kind; what it returns says, once the lab is up, how long that took. */
    public synchronized Begun started(String kind) {
        starts.merge(kind, 1, Integer::sum);
        return new Begun(System.nanoTime());
    }

    /** When a lab's start began. */
    public record Begun(long nanoTime) {
        /** Seconds since, to a tenth: the figure a chapter records for its lab's start. */
        public double seconds() {
            return Math.round((System.nanoTime() - nanoTime) / 1e8) / 10.0;
        }
    }

    synchronized String line() {
        return "[labs] started: " + starts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** Gives a scenario the run's tally, for a lab it starts itself (the compose stack). */
    public static final class Resolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == LabStarts.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return of(context);
        }
    }

    @Override
    public void close() {
        String line = line();
        System.out.println(line);
        Path dir = Path.of(System.getProperty("spec.report.dir", "target/spec-report"));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("lab-starts.txt"), line + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
