package catalog.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One sentence per chapter of the specification saying what it proved in this run, e.g. "cache: 7
 * scenario classes, 41 scenarios passed: ...", so a learner who ran {@code mvn verify} knows where
 * to look first. A chapter with a failed scenario names it and says its claim is not proven.
 */
final class ChapterSentences {
    /** What each chapter of README's table proves when all its scenarios pass. */
    private static final Map<String, String> CLAIMS = Map.of(
            "api", "the routes, the validation rules, problem+json for bad input, the OpenAPI contract and "
                    + "idempotent POSTs hold against real PostgreSQL and Redis",
            "cache", "cache-aside with leases, single flight, the breaker, pending invalidations, near copies and the "
                    + "replica-lag fence keep the cache fast and never stale after a write, and a dead Redis costs nothing",
            "failover", "the replica is a hot standby routed by role, and the API rides out a dead, demoted or "
                    + "stalled database with fast 503s and no lost write",
            "catalogue", "every fault of the failure catalogue left no acknowledged write lost, no two writable "
                    + "primaries, no failed read while anything could serve it, and healed without a hand",
            "compose", "docker-compose.yml itself survives the loss of each service but the front, an intruder in "
                    + "any of its networks reaches no tier without credentials, and the front never fails or "
                    + "repeats a POST on the connections it keeps",
            "hostile", "writes without a key are refused, idempotency keys belong to their client, and slow, "
                    + "aborted and flooding clients, or a huge message on Redis' invalidation channel, cost the "
                    + "others nothing",
            "backup", "the archive and the backups bring the data back after both database nodes are lost or a "
                    + "DELETE by mistake, and archiving survives an unwritable repository and a failover",
            "hosts", "docker-stack.yml on a Swarm of three hosts loses no acknowledged write and never has two primaries "
                    + "when a whole host is lost or cut off, and the lost host rejoins by itself");

    private ChapterSentences() {}

    static List<String> of(List<ScenarioEnd> ended) {
        Map<String, List<ScenarioEnd>> byChapter = new TreeMap<>();
        for (ScenarioEnd end : ended) {
            end.chapters().forEach(chapter -> byChapter.computeIfAbsent(chapter, c -> new ArrayList<>()).add(end));
        }
        List<String> sentences = new ArrayList<>();
        byChapter.forEach((chapter, ends) -> sentences.add(sentence(chapter, ends)));
        return sentences;
    }

    private static String sentence(String chapter, List<ScenarioEnd> ends) {
        long classes = ends.stream().map(ScenarioEnd::scenarioClass).distinct().count();
        long passed = ends.stream().filter(e -> e.outcome() == Outcome.PASSED).count();
        TreeSet<String> notPassed = new TreeSet<>();
        ends.stream().filter(e -> e.outcome() == Outcome.FAILED || e.outcome() == Outcome.ABORTED)
                .forEach(e -> notPassed.add(e.scenarioClass() + ": " + e.scenario()
                        + (e.outcome() == Outcome.ABORTED ? " (aborted)" : "")));
        StringBuilder s = new StringBuilder(chapter).append(": ")
                .append(count(classes, "scenario class", "scenario classes")).append(", ")
                .append(count(passed, "scenario", "scenarios")).append(" passed");
        String claim = CLAIMS.get(chapter);
        if (!notPassed.isEmpty()) {
            s.append(", ").append(notPassed.size()).append(" did not (").append(String.join("; ", notPassed)).append(")");
            return s.append(claim == null ? "." : ": not proven in this run that " + claim + ".").toString();
        }
        return s.append(claim == null ? "." : ": " + claim + ".").toString();
    }

    private static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
