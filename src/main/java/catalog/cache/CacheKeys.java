package catalog.cache;

/** Key names in Redis. All start with {@code product:} so dropping every product key takes leases and markers too. */
final class CacheKeys {
    static final String ALL_PRODUCTS = "product:*";

    private CacheKeys() {}

    static String value(long id) {
        return "product:" + id;
    }

    static String lease(long id) {
        return "product:" + id + ":lease";
    }

    /** The WAL position of the latest write of the product, for readers on every instance. */
    static String written(long id) {
        return "product:" + id + ":written";
    }
}
