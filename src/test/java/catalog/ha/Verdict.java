package catalog.ha;

import catalog.ha.RequestLedger.Acknowledged;
import catalog.lab.Probe.Attempt;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The one verdict every catalogue row gets, computed from what the row recorded (a pure function,
 * tested on made-up evidence in {@code VerdictTest}). Times are milliseconds on the row's clock.
 *
 * <ul>
 *   <li>no acknowledged write lost: every (id, name, price) the API acknowledged is on the final
 *       leader with exactly that content (after a rewind, an id can come back with other content);</li>
 *   <li>no id acknowledged twice;</li>
 *   <li>no split brain: no half second in which two nodes acknowledged a synchronous commit, and
 *       every probe commit a node acknowledged is on the final leader;</li>
 *   <li>no HAProxy counting two servers UP in its write backend at once;</li>
 *   <li>no failed read while something could serve it;</li>
 *   <li>every refusal a 503 with Retry-After in problem+json;</li>
 *   <li>writes back within the row's bound, and the cluster healed within its bound.</li>
 * </ul>
 */
final class Verdict {
    private Verdict() {}

    /** A row as the final leader stores it. */
    record Stored(String name, BigDecimal price) {}

    /** Everything a row recorded. */
    record Evidence(List<Attempt<Acknowledged>> writes, List<Attempt<String>> reads, Map<Long, Stored> onLeader,
                    List<SyncCommitSampler.Sample> commits, Set<Long> probesOnLeader, List<RoutingSampler.Sample> routing,
                    long faultAt, long repairedAt, long healedAt) {}

    /** The row's figures and what it violated (nothing, for a row that passes). */
    record Judgement(long acknowledged, List<Long> lost, List<Long> duplicateIds, long failedWrites, long failedReads,
                     long writeUnavailableMillis, Optional<Long> firstWriteAfterMillis, long splitBrainSlots,
                     long lostProbeCommits, long twoPrimaryMillis, long doubleRoutingSamples, long healedAfterMillis, List<String> violations) {}

    static Judgement judge(CatalogueRow row, Evidence e) {
        List<String> violations = new ArrayList<>();
        List<Acknowledged> acknowledged = e.writes().stream().filter(Attempt::ok).map(Attempt::value).toList();
        List<Long> lost = acknowledged.stream().filter(a -> !storedAsAcknowledged(a, e.onLeader()))
                .map(Acknowledged::id).sorted().toList();
        List<Long> duplicates = acknowledged.stream().collect(Collectors.groupingBy(Acknowledged::id, TreeMap::new,
                Collectors.counting())).entrySet().stream().filter(x -> x.getValue() > 1).map(Map.Entry::getKey).toList();
        long failedWrites = e.writes().stream().filter(a -> a.startMillis() >= e.faultAt() && !a.ok()).count();
        List<Attempt<String>> failedReads = e.reads().stream().filter(a -> a.startMillis() >= e.faultAt() && !a.ok()).toList();
        long readsOutsideAllowance = failedReads.stream().filter(a -> !readMayFail(row, e, a)).count();
        long unavailable = longestWriteGap(e.writes(), e.faultAt());
        Optional<Long> back = writesBackAfter(e.writes(), e.faultAt(), e.repairedAt()).map(end -> end - e.faultAt());
        long splitBrain = slotsWhere(e.commits(), SyncCommitSampler.Sample::acknowledged);
        List<String> lostProbes = e.commits().stream().filter(c -> c.acknowledged() && !e.probesOnLeader().contains(c.probeId()))
                .map(c -> c.node() + "#" + c.probeId()).toList();
        long twoPrimaries = twoPrimaryMillis(e.commits());
        long doubleRouting = e.routing().stream().filter(s -> s.writeServers().size() > 1).count();
        List<String> badAnswers = e.writes().stream()
                .filter(a -> a.startMillis() >= e.faultAt() && !a.ok() && !row.writeLostWithTheFault(a.startMillis(), e.faultAt()))
                .map(Attempt::error).filter(reason -> !isServiceUnavailable(reason)).distinct().toList();

        require(violations, lost.isEmpty(), lost.size() + " acknowledged writes lost: ids " + first(lost));
        require(violations, duplicates.isEmpty(), "ids acknowledged twice: " + first(duplicates));
        require(violations, splitBrain == 0, splitBrain + " half seconds in which two nodes acknowledged a commit");
        require(violations, lostProbes.isEmpty(), "acknowledged probe commits missing on the final leader: " + lostProbes);
        require(violations, doubleRouting == 0, doubleRouting + " samples in which HAProxy routed writes to two nodes");
        require(violations, readsOutsideAllowance == 0, readsOutsideAllowance + " reads failed while a node could serve them");
        require(violations, badAnswers.isEmpty(), "refusals other than a 503 with Retry-After: " + badAnswers);
        require(violations, back.isPresent() && back.get() <= row.writesBackWithin().toMillis(),
                "writes back after " + back.map(b -> b + " ms").orElse("never") + ", bound " + row.writesBackWithin().toMillis() + " ms");
        require(violations, e.healedAt() - e.repairedAt() <= row.healedWithin().toMillis(),
                "healed " + (e.healedAt() - e.repairedAt()) + " ms after the repair, bound " + row.healedWithin().toMillis() + " ms");
        require(violations, !acknowledged.isEmpty() && e.writes().stream().anyMatch(a -> a.ok() && a.startMillis() > e.healedAt()),
                "no write acknowledged after the cluster healed: the load did not run");
        return new Judgement(acknowledged.size(), lost, duplicates, failedWrites, failedReads.size(), unavailable, back,
                splitBrain, lostProbes.size(), twoPrimaries, doubleRouting, e.healedAt() - e.faultAt(), violations);
    }

    private static boolean storedAsAcknowledged(Acknowledged a, Map<Long, Stored> onLeader) {
        Stored stored = onLeader.get(a.id());
        return stored != null && stored.name().equals(a.name()) && stored.price().compareTo(a.price()) == 0;
    }

    private static boolean readMayFail(CatalogueRow row, Evidence e, Attempt<String> read) {
        return row.readsMayFailUntil().map(margin -> read.startMillis() <= e.repairedAt() + margin.toMillis()).orElse(false)
                || row.lostWithTheFault(read.startMillis(), e.faultAt());
    }

    /**
     * The longest time without an acknowledged write, from the last acknowledgement before the fault
     * to the end: the outage as a client saw it.
     */
    static long longestWriteGap(List<? extends Attempt<?>> writes, long faultAt) {
        List<Long> ends = writes.stream().filter(Attempt::ok).map(Attempt::endMillis).sorted().toList();
        long previous = ends.stream().filter(end -> end < faultAt).reduce((a, b) -> b).orElse(faultAt);
        long longest = 0;
        for (long end : ends) {
            if (end >= faultAt) {
                longest = Math.max(longest, end - previous);
                previous = end;
            }
        }
        return longest;
    }

    /** {@link #writesBackAfter(List, long, long)} while the fault lasts (no repair yet). */
    static Optional<Long> writesBackAfter(List<? extends Attempt<?>> writes, long faultAt) {
        return writesBackAfter(writes, faultAt, faultAt);
    }

    /**
     * When writes worked again after the fault: the end of the first acknowledged write that started
     * after the first failed one (or of the first after the fault, when none failed). Only a write
     * that failed before the repair ended counts: one that failed later failed on the repair (here a
     * host starting again), and counting it measured the repair instead (CI run 34: writes back
     * after 1.5 s, reported as 68.4 s behind a 503 seen 7.5 s after the host was started). A row
     * with no repair ({@code repairedAt} equal to the fault) counts every failure.
     */
    static Optional<Long> writesBackAfter(List<? extends Attempt<?>> writes, long faultAt, long repairedAt) {
        long failuresUntil = repairedAt > faultAt ? repairedAt : Long.MAX_VALUE;
        List<? extends Attempt<?>> after = writes.stream().filter(a -> a.startMillis() >= faultAt)
                .sorted(Comparator.comparingLong(Attempt::startMillis)).toList();
        long from = after.stream().filter(a -> !a.ok() && a.startMillis() < failuresUntil).map(Attempt::startMillis)
                .findFirst().orElse(faultAt);
        return after.stream().filter(a -> a.ok() && a.startMillis() >= from).map(Attempt::endMillis).findFirst();
    }

    /** Half seconds in which at least two nodes had a sample that satisfies {@code what}. */
    static long slotsWhere(List<SyncCommitSampler.Sample> samples, java.util.function.Predicate<SyncCommitSampler.Sample> what) {
        Map<Long, Set<String>> nodesBySlot = new HashMap<>();
        for (SyncCommitSampler.Sample s : samples) {
            if (what.test(s)) {
                nodesBySlot.computeIfAbsent(s.slot(), k -> new HashSet<>()).add(s.node());
            }
        }
        return nodesBySlot.values().stream().filter(nodes -> nodes.size() > 1).count();
    }

    /**
     * How long at least two nodes were primaries: each node's answer holds from one of its samples
     * to its next (a node that hangs is sampled seldom, every socket timeout), one that did not
     * answer counts as no primary.
     */
    static long twoPrimaryMillis(List<SyncCommitSampler.Sample> samples) {
        TreeMap<Long, Integer> changes = new TreeMap<>();
        Map<String, List<SyncCommitSampler.Sample>> byNode = samples.stream()
                .collect(Collectors.groupingBy(SyncCommitSampler.Sample::node));
        for (List<SyncCommitSampler.Sample> node : byNode.values()) {
            List<SyncCommitSampler.Sample> sorted = node.stream()
                    .sorted(Comparator.comparingLong(SyncCommitSampler.Sample::startMillis)).toList();
            for (int i = 0; i < sorted.size(); i++) {
                SyncCommitSampler.Sample s = sorted.get(i);
                if (Boolean.TRUE.equals(s.primary())) {
                    long until = i + 1 < sorted.size() ? sorted.get(i + 1).startMillis() : s.endMillis();
                    changes.merge(s.startMillis(), 1, Integer::sum);
                    changes.merge(until, -1, Integer::sum);
                }
            }
        }
        long total = 0;
        int primaries = 0;
        Long previous = null;
        for (Map.Entry<Long, Integer> change : changes.entrySet()) {
            if (previous != null && primaries >= 2) {
                total += change.getKey() - previous;
            }
            primaries += change.getValue();
            previous = change.getKey();
        }
        return total;
    }

    /** "catalog.ha.RequestLedger$Refused: 503 Retry-After=2 application/problem+json" */
    static boolean isServiceUnavailable(String error) {
        String reason = error.substring(error.indexOf(':') + 1).trim();
        return reason.startsWith("503 Retry-After=") && !reason.startsWith("503 Retry-After=none")
                && reason.contains("application/problem+json");
    }

    private static void require(List<String> violations, boolean holds, String otherwise) {
        if (!holds) {
            violations.add(otherwise);
        }
    }

    private static String first(List<Long> ids) {
        return ids.size() <= 10 ? ids.toString() : ids.subList(0, 10) + " ...";
    }
}
