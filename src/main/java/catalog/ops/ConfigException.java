package catalog.ops;

/** A configuration value that cannot be used; the message is the one line shown at start-up. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String variable, String expected, String actual) {
        super(variable + " must be " + expected + " (got \"" + actual + "\")");
    }

    public ConfigException(String message) {
        super(message);
    }
}
