package catalog.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that hands each test a {@link Figures} and, when the whole run ends, writes
 * {@code target/spec-report/} from all of them. The collected figures live in the root context's
 * store (one per run), not in a static field.
 */
public final class SpecReport implements ParameterResolver {
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
        return figures;
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

    /** All figures of one test run; written out when JUnit closes the root store. */
    static final class Run implements ExtensionContext.Store.CloseableResource {
        private final List<Figures> all = Collections.synchronizedList(new ArrayList<>());

        void add(Figures figures) {
            all.add(figures);
        }

        @Override
        public void close() {
            Path dir = Path.of(System.getProperty("spec.report.dir", "target/spec-report"));
            List<Figures> measured = all.stream().filter(f -> !f.isEmpty()).toList();
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("report.md"), MarkdownReport.render(measured));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the spec report to " + dir, e);
            }
        }
    }
}
