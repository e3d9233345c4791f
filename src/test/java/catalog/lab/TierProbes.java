package catalog.lab;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What an intruder inside one of the compose stack's networks gets from each tier: the
 * probes of src/test/resources/probes/tiers.py (Redis without a login and as the API's user,
 * Patroni's unsafe methods without a login, etcd, the PostgreSQL superuser and replication over
 * TCP with the right passwords), run in a throwaway container of the Patroni image on that network.
 */
public final class TierProbes {
    /** Whether a probe got through: every tier must answer refused or be out of reach. */
    public enum Outcome { UNREACHABLE, REFUSED, ACCEPTED }

    public record Result(String network, String probe, Outcome outcome, String detail) {}

    private static final String SCRIPT = "src/test/resources/probes/tiers.py";
    /** docker-compose.yml's development passwords: the probes try them, as someone who read the file would. */
    private static final String DEV_PASSWORDS =
            "{\"redis\":\"redis-dev\",\"superuser\":\"postgres-dev\",\"replication\":\"replicator-dev\"}";

    private final ComposeStack stack;

    public TierProbes(ComposeStack stack) {
        this.stack = stack;
    }

    /** Runs every probe from {@code network} (a network of docker-compose.yml, e.g. {@code front-api}). */
    public List<Result> from(String network) throws IOException, InterruptedException {
        String output = stack.docker("run", "--rm", "--network", stack.project() + "_" + network,
                "-v", Path.of(SCRIPT).toAbsolutePath() + ":/tmp/tiers.py:ro", "-e", "DEV_PASSWORDS=" + DEV_PASSWORDS,
                "--entrypoint", "python3", "products/patroni:local", "/tmp/tiers.py");
        return output.lines().filter(line -> line.startsWith("{")).map(line -> {
            JsonObject json = JsonParser.parseString(line).getAsJsonObject();
            return new Result(network, json.get("probe").getAsString(),
                    Outcome.valueOf(json.get("outcome").getAsString().toUpperCase(java.util.Locale.ROOT)),
                    json.get("detail").getAsString());
        }).toList();
    }
}
