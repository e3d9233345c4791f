package catalog.history;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Hands a history file to the checker (checker/: Porcupine, which nobody here wrote) and reads its
 * answer from the exit code: 0 linearizable, 1 not (a violation: the scenario fails), 2 no verdict
 * (the check ran out of time, or the file was unreadable: a finding, recorded, not a failure). Every
 * judgement also becomes a row of {@code histories/summary.md} beside the files.
 */
public final class Linearizability {
    /** The system property Failsafe sets (pom.xml) to the binary mvn verify builds. */
    public static final String CHECKER_PROPERTY = "linearizability.checker";
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(60);

    /** The checker's answer on one file. */
    public record Judgement(String scenario, Path file, int operations, int keys, int exitCode, String output, Duration took) {
        public boolean linearizable() {
            return exitCode == 0;
        }

        public boolean undecided() {
            return exitCode != 0 && exitCode != 1;
        }

        /** Fails the scenario on a violation, naming it; an undecided check is left to the summary. */
        public Judgement assertNoViolation() {
            if (exitCode == 1) {
                throw new AssertionError("the history of \"" + scenario + "\" is not linearizable (" + file + "):\n" + output);
            }
            return this;
        }

        String verdict() {
            return switch (exitCode) {
                case 0 -> "linearizable";
                case 1 -> "NOT linearizable";
                default -> "undecided (exit " + exitCode + ")";
            };
        }
    }

    private final Path checker;

    private Linearizability(Path checker) {
        this.checker = checker;
    }

    /** The checker mvn verify built; a clear failure when it is not there (e.g. a test run from an IDE). */
    public static Linearizability fromBuild() {
        String path = System.getProperty(CHECKER_PROPERTY);
        if (path == null || !Files.isExecutable(Path.of(path))) {
            throw new IllegalStateException("no linearizability checker at " + CHECKER_PROPERTY + "=" + path
                    + ": build it with mvn verify (it runs checker/build.sh), or by hand, see checker/README.md");
        }
        return new Linearizability(Path.of(path));
    }

    /** Judges one history file and appends its row to the summary. */
    public Judgement judge(Path file) {
        long started = System.nanoTime();
        String output;
        int exit;
        // The checker's words go to a file beside the history (kept for a person), not a pipe that could fill.
        Path said = file.resolveSibling(file.getFileName() + ".verdict.txt");
        try {
            Process process = new ProcessBuilder(checker.toString(), "-timeout", CHECK_TIMEOUT.toSeconds() + "s", file.toString())
                    .redirectErrorStream(true).redirectOutput(said.toFile()).start();
            // The checker bounds itself; this bound is for a checker that hangs anyway.
            boolean ended = process.waitFor(CHECK_TIMEOUT.plusSeconds(30).toSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            output = Files.readString(said).strip();
            exit = ended ? process.exitValue() : 2;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + checker, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Judgement judgement = describe(file, exit, output, Duration.ofNanos(System.nanoTime() - started));
        appendToSummary(judgement);
        return judgement;
    }

    /** Scenario, operations and keys as the file says (an unreadable file is the checker's to name). */
    private static Judgement describe(Path file, int exit, String output, Duration took) {
        String scenario = file.getFileName().toString();
        int operations = 0;
        Set<String> keys = new HashSet<>();
        try {
            JsonObject history = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            scenario = history.get("scenario").getAsString();
            JsonArray ops = history.getAsJsonArray("operations");
            operations = ops.size();
            for (JsonElement op : ops) {
                keys.add(op.getAsJsonObject().get("key").getAsString());
            }
        } catch (IOException | RuntimeException e) {
            // keep the file name as the scenario; the checker's output says what is wrong
        }
        return new Judgement(scenario, file, operations, keys.size(), exit, output, took);
    }

    /** One row per judgement; a lock, since test classes may judge at the same time. */
    private static void appendToSummary(Judgement j) {
        Path summary = j.file().toAbsolutePath().getParent().resolve("summary.md");
        String row = String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %d ms |%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), j.scenario().replace("|", "\\|"), j.operations(), j.keys(),
                j.verdict(), j.took().toMillis());
        try (FileChannel channel = FileChannel.open(summary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND); FileLock lock = channel.lock()) {
            if (channel.size() == 0) {
                channel.write(StandardCharsets.UTF_8.encode("# Linearizability of the recorded histories (checker/: Porcupine)\n\n"
                        + "| judged at (UTC) | scenario | operations | keys | verdict | time to check |\n|---|---|---|---|---|---|\n"));
            }
            channel.write(StandardCharsets.UTF_8.encode(row));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + summary, e);
        }
    }
}
