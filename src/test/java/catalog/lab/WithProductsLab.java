package catalog.lab;

/**
 * Gives a class the run's {@link ProductsLab} (three etcd, two Patroni nodes, two HAProxies, Redis,
 * an API container), started once (about a minute) and healed between scenarios.
 */
public final class WithProductsLab extends SharedLabExtension<ProductsLab> {
    public WithProductsLab() {
        super("ha", ProductsLab.class, () -> ProductsLab.start(LabImages.fromEnvironment()));
    }
}
