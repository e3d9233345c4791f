package catalog.access;

/**
 * Who sent a request, as far as the API knows: a configured client (by the name its key was
 * given in {@code API_KEYS}) or nobody. The name appears in metrics and scopes idempotency keys;
 * the key itself is never kept past the check.
 */
public record Client(String name, boolean mayWrite) {
    /** A request without a key (reads, when they are open). */
    public static final Client ANONYMOUS = new Client("anonymous", false);

    public boolean known() {
        return this != ANONYMOUS;
    }
}
