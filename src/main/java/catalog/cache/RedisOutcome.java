package catalog.cache;

/** The result of one Redis call made under the timeout. */
public record RedisOutcome<T>(Kind kind, T value, Throwable error) {
    public enum Kind {
        /** Redis answered in time; {@code value} holds the answer (possibly null). */
        OK,
        /** No answer within REDIS_TIMEOUT_MS; the call was cancelled. */
        TIMEOUT,
        /** Redis answered with an error or the connection failed. */
        ERROR,
        /** The Redis executor was full: not even attempted. */
        REJECTED
    }

    public boolean ok() {
        return kind == Kind.OK;
    }

    static <T> RedisOutcome<T> of(T value) {
        return new RedisOutcome<>(Kind.OK, value, null);
    }

    static <T> RedisOutcome<T> failed(Kind kind, Throwable error) {
        return new RedisOutcome<>(kind, null, error);
    }
}
