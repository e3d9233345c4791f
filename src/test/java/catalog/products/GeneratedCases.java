package catalog.products;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.quicktheories.QuickTheory;

/**
 * How a property test runs QuickTheories, and the cases it really ran. A property asks for a
 * number of cases; QuickTheories runs at most that many (it skips a draw it has already run), so
 * the property counts each case it runs, by outcome, and fails when far fewer ran or when an
 * outcome it must meet never came: a generator that only ever made bad input would test nothing
 * else, and a property that ran no case would pass.
 *
 * <p>The seed is new each run (QuickTheories takes the clock) and printed with a failure, after
 * the shrunk case: {@code Seed was N}. {@code -DQT_SEED=N} on the Maven command line runs the
 * same cases again ({@code QT_EXAMPLES} and {@code QT_SHRINKS} are not used: the counts here win).
 */
public final class GeneratedCases {
    /** Shrink attempts after a failure: enough to reach a small case, few enough to end quickly. */
    static final int SHRINK_CYCLES = 10_000;
    /** A property must run at least this share of the cases it asked for. */
    private static final double LEAST_SHARE_RUN = 0.9;

    private final int asked;
    private final Map<String, Integer> outcomes = new TreeMap<>();

    private GeneratedCases(int asked) {
        this.asked = asked;
    }

    /** A property of {@code cases} cases. */
    public static GeneratedCases of(int cases) {
        return new GeneratedCases(cases);
    }

    /** QuickTheories set to this property's number of cases; {@code withShrinkCycles} may lower its shrinking. */
    public QuickTheory qt() {
        return QuickTheory.qt().withExamples(asked).withShrinkCycles(SHRINK_CYCLES);
    }

    /** One case run, with what came of it ("400", "valid", a status). */
    public synchronized void count(String outcome) {
        outcomes.merge(outcome, 1, Integer::sum);
    }

    /** The cases run so far. */
    public synchronized int ran() {
        return outcomes.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Fails unless nearly all the cases asked for ran, and each of {@code mustMeet} came at least once. */
    public synchronized void assertRan(String... mustMeet) {
        assertThat(ran()).as("cases run of %d asked (by outcome: %s)", asked, outcomes)
                .isGreaterThanOrEqualTo((int) Math.ceil(asked * LEAST_SHARE_RUN));
        assertThat(outcomes).as("outcomes of %d cases", ran()).containsKeys(mustMeet);
    }

    @Override
    public synchronized String toString() {
        return ran() + " cases " + outcomes;
    }
}
