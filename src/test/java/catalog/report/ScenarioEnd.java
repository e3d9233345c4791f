package catalog.report;

import java.util.Set;

/**
 * How one scenario ended, and under which chapters (its JUnit tags, the class's included): what the
 * report's chapter sentences are counted from.
 */
record ScenarioEnd(Set<String> chapters, String scenarioClass, String scenario, Outcome outcome) {
    ScenarioEnd {
        chapters = Set.copyOf(chapters);
    }
}
