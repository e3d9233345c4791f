package catalog.db;

/**
 * The database could not be reached or refused writes (down, failing over, demoted). Clients get
 * 503 with Retry-After: the same request will likely work a little later.
 */
public final class DatabaseUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
