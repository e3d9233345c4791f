package catalog.cache;

/** Redis did not answer in time, answered with an error, or the call could not even be queued. */
public final class CacheUnavailable extends Exception {
    public enum Reason { TIMEOUT, ERROR, SATURATED, BYPASSED }

    private final Reason reason;

    public CacheUnavailable(Reason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
