package catalog.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * JUnit extension that hands each test a {@link Figures} and, when the whole run ends, writes
 * {@code target/spec-report/} (report.md, report.html, one SVG per timeline) from all of them. The
 * collected figures live in the root context's store (one per run), not in a static field. It also
 * watches how each scenario ended, so that the report flags figures from a failed scenario, and under
 * which chapter tags, so that the report says what each chapter proved in this run.
 */
public final class SpecReport implements ParameterResolver, TestWatcher {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SpecReport.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Figures.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Figures figures = new Figures(scenarioName(context));
        run(context).add(figures);
        context.getStore(NAMESPACE).put(Figures.class, figures);
        return figures;
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        ended(context, Outcome.PASSED);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        ended(context, Outcome.FAILED);
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        ended(context, Outcome.ABORTED);
    }

    private static void ended(ExtensionContext context, Outcome outcome) {
        Optional.ofNullable(context.getStore(NAMESPACE).get(Figures.class, Figures.class))
                .ifPresent(figures -> figures.outcome(outcome));
        run(context).ended(new ScenarioEnd(context.getTags(), scenarioClass(context), context.getDisplayName(), outcome));
    }

    /** The top-level class a scenario belongs to (a nested class counts as its enclosing one). */
    private static String scenarioClass(ExtensionContext context) {
        Class<?> type = context.getRequiredTestClass();
        while (type.getEnclosingClass() != null) {
            type = type.getEnclosingClass();
        }
        return type.getSimpleName();
    }

    private static String scenarioName(ExtensionContext context) {
        String test = context.getDisplayName();
        return context.getParent()
                .filter(parent -> parent.getParent().isPresent())
                .map(parent -> parent.getDisplayName() + ": " + test)
                .orElse(test);
    }

    private static Run run(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Run.class, key -> new Run(), Run.class);
    }

    /** All figures of one test run; written out when JUnit closes the root store, after the last test. */
    static final class Run implements AutoCloseable {
        private final List<Figures> all = Collections.synchronizedList(new ArrayList<>());
        private final List<ScenarioEnd> ends = Collections.synchronizedList(new ArrayList<>());

        void add(Figures figures) {
            all.add(figures);
        }

        void ended(ScenarioEnd end) {
            ends.add(end);
        }

        @Override
        public void close() {
            Path dir = Path.of(System.getProperty("spec.report.dir", "target/spec-report"));
            List<Figures> measured;
            synchronized (all) {
                measured = new ArrayList<>(all.stream().filter(f -> !f.isEmpty()).toList());
            }
            measured.addAll(tallies());
            List<ScenarioEnd> ended;
            synchronized (ends) {
                ended = List.copyOf(ends);
            }
            try {
                Tally.removeEarlierRuns();
                ReportFiles.write(dir, measured, ChapterSentences.of(ended), RunInfo.current());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the spec report to " + dir, e);
            }
        }

        /** The run's {@link Tally tallies}, one section each (e.g. the contract checks of every client). */
        private static List<Figures> tallies() {
            List<Figures> sections = new ArrayList<>();
            Tally.sums().forEach((title, counts) -> {
                Figures section = new Figures(title);
                counts.forEach((name, count) -> section.record(name, count, ""));
                sections.add(section);
            });
            return sections;
        }
    }
}
