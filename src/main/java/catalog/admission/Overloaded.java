package catalog.admission;

/**
 * Work refused because its compartment could not start it within its budget (see
 * {@link Bulkhead}): the client gets 503 with Retry-After at once instead of a slow answer.
 */
public final class Overloaded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Shedding.Reason reason;
    private final int retryAfterSeconds;

    public Overloaded(Shedding.Reason reason, int retryAfterSeconds) {
        super(reason.detail(), null, false, false);   // expected under load: no stack trace to fill
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Shedding.Reason reason() {
        return reason;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
