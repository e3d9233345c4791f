package catalog.lab;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class a lab of one kind, shared by the whole run: the first class that asks starts
 * it and keeps it in the root store; every class and scenario then finds it healed. A class gets it
 * as a parameter ({@code @BeforeAll void start(CacheLab lab)}, or a scenario's parameter). It is
 * healed before each class and after each scenario (a heal that fails is that scenario's failure).
 * API instances started on it are closed after the scenario that started them, or after the class
 * when the class's {@code @BeforeAll} started them: that is the one teardown style of the spec.
 */
public abstract class SharedLabExtension<L extends SharedLab>
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {
    private static final String MARK = "api instances before";

    private final String kind;
    private final Class<L> type;
    private final Supplier<L> start;

    /** {@code start} starts the lab; it is called once per run. */
    protected SharedLabExtension(String kind, Class<L> type, Supplier<L> start) {
        this.kind = kind;
        this.type = type;
        this.start = start;
    }

    private L lab(ExtensionContext context) {
        LabStarts starts = LabStarts.of(context);   // stored first, so closed after the lab
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(type, k -> {
            L lab = start.get();
            starts.started(kind);
            return lab;
        }, type);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        L lab = lab(context);
        lab.heal();
        context.getStore(ExtensionContext.Namespace.create(getClass(), context.getUniqueId())).put(MARK, lab.apis().mark());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        L lab = lab(context);
        context.getStore(ExtensionContext.Namespace.create(getClass(), context.getUniqueId())).put(MARK, lab.apis().mark());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeApisStartedIn(context);
        lab(context).heal();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeApisStartedIn(context);
    }

    private void closeApisStartedIn(ExtensionContext context) {
        Integer mark = context.getStore(ExtensionContext.Namespace.create(getClass(), context.getUniqueId()))
                .get(MARK, Integer.class);
        if (mark != null) {
            lab(context).apis().closeSince(mark);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == type;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return lab(context);
    }
}
