package catalog.report;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Counts that objects all over one test run add to, such as the contract checks of every API
 * client, summed into the report at the end of the run. Each tally is one small file under the
 * report directory, rewritten on every change, in a folder named after this JVM: no static state
 * is needed to gather them, and a file left by an earlier run is never counted.
 */
public final class Tally {
    private static final String TITLE = ".title";

    private final Path file;
    private final String title;
    private final Map<String, Long> counts = new LinkedHashMap<>();

    private Tally(Path file, String title) {
        this.file = file;
        this.title = title;
    }

    /**
     * A new tally; its counts are summed with every other tally of the same title, and shown in the
     * report under that title.
     */
    public static Tally start(String title) {
        Path dir = runDirectory();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return new Tally(dir.resolve("tally-" + UUID.randomUUID() + ".properties"), title);
    }

    public synchronized void add(String name, long amount) {
        counts.merge(name, amount, Long::sum);
        StringBuilder text = new StringBuilder();
        text.append(escape(TITLE)).append('=').append(escape(title)).append('\n');
        counts.forEach((key, value) -> text.append(escape(key)).append('=').append(value).append('\n'));
        try {
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.writeString(next, text, StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tally " + file, e);
        }
    }

    /** Every tally written in this run, summed by title, then by name (both sorted). */
    static Map<String, Map<String, Long>> sums() {
        Map<String, Map<String, Long>> totals = new TreeMap<>();
        Path dir = runDirectory();
        if (!Files.isDirectory(dir)) {
            return totals;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "tally-*.properties")) {
            for (Path file : files) {
                Properties counts = new Properties();
                counts.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
                Map<String, Long> total = totals.computeIfAbsent(counts.getProperty(TITLE, "tally"), t -> new TreeMap<>());
                counts.stringPropertyNames().stream().filter(name -> !name.equals(TITLE))
                        .forEach(name -> total.merge(name, Long.parseLong(counts.getProperty(name)), Long::sum));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tallies in " + dir, e);
        }
        return totals;
    }

    /** Tallies of earlier runs: never counted, only clutter. */
    static void removeEarlierRuns() throws IOException {
        Path all = runDirectory().getParent();
        if (!Files.isDirectory(all)) {
            return;
        }
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(all)) {
            for (Path run : runs) {
                if (!run.equals(runDirectory())) {
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(run)) {
                        for (Path file : files) {
                            Files.deleteIfExists(file);
                        }
                    }
                    Files.deleteIfExists(run);
                }
            }
        }
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("=", "\\=").replace(":", "\\:").replace(" ", "\\ ")
                .replace("#", "\\#").replace("!", "\\!");
    }

    /** target/spec-report/tallies/&lt;pid&gt;-&lt;JVM start&gt;: this run's, whatever earlier runs left. */
    private static Path runDirectory() {
        ProcessHandle self = ProcessHandle.current();
        long startedAt = self.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
        return Path.of(System.getProperty("spec.report.dir", "target/spec-report"), "tallies", self.pid() + "-" + startedAt);
    }
}
