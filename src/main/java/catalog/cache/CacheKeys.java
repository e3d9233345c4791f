package catalog.cache;

/** Key names in Redis. Both start with {@code product:} so dropping every product key takes leases too. */
final class CacheKeys {
    static final String ALL_PRODUCTS = "product:*";

    private CacheKeys() {}

    static String value(long id) {
        return "product:" + id;
    }

    static String lease(long id) {
        return "product:" + id + ":lease";
    }
}
