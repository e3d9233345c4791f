package catalog.history;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link History} as the checker reads it (checker/README.md): one JSON file per scenario in
 * {@code <spec.report.dir>/histories/<scenario-slug>.json}, one operation a line so that a person
 * can read and diff it. Times are nanoseconds from the history's start.
 */
public final class HistoryFile {
    private HistoryFile() {}

    /** Where histories go: beside the spec report (target/spec-report/histories). */
    public static Path directory() {
        return Path.of(System.getProperty("spec.report.dir", "target/spec-report"), "histories");
    }

    /** Writes the history into {@link #directory()} and returns the file. */
    public static Path write(History history) {
        return write(history, directory());
    }

    public static Path write(History history, Path dir) {
        Path file = dir.resolve(slug(history.scenario()) + ".json");
        try {
            Files.createDirectories(dir);
            Files.writeString(file, json(history));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    static String json(History history) {
        JsonObject initial = new JsonObject();
        for (Map.Entry<String, String> key : history.initialValues().entrySet()) {
            initial.addProperty(key.getKey(), key.getValue());
        }
        StringBuilder out = new StringBuilder()
                .append("{\"scenario\": ").append(new JsonPrimitive(history.scenario()))
                .append(", \"staleness_ms\": ").append(history.stalenessMillis())
                .append(", \"initial\": ").append(initial)
                .append(",\n \"operations\": [");
        String separator = "\n  ";
        for (History.Operation op : history.operations()) {
            out.append(separator).append(operation(op));
            separator = ",\n  ";
        }
        return out.append("]}\n").toString();
    }

    private static JsonObject operation(History.Operation op) {
        JsonObject json = new JsonObject();
        json.addProperty("client", op.client());
        json.addProperty("key", op.key());
        json.addProperty("op", op.op().name().toLowerCase(Locale.ROOT));
        json.add("value", op.value() == null ? JsonNull.INSTANCE : new JsonPrimitive(op.value()));
        json.addProperty("call_ns", op.callNanos());
        json.add("return_ns", op.returnNanos() == null ? JsonNull.INSTANCE : new JsonPrimitive(op.returnNanos()));
        json.addProperty("outcome", op.fate().name().toLowerCase(Locale.ROOT));
        return json;
    }

    /** "Leader killed: reads & writes" becomes "leader-killed-reads-writes". */
    static String slug(String scenario) {
        String slug = scenario.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "history" : slug;
    }
}
