package catalog.contract;

/**
 * An exchange that openapi.yaml does not describe. An error, not an exception: a probe that counts
 * failed requests (a 503 during a failover is expected) must not count this one as an expected
 * failure; it fails the scenario.
 */
public final class ContractViolation extends AssertionError {
    private static final long serialVersionUID = 1L;

    public ContractViolation(Exchange exchange, Contract.Verdict verdict) {
        super("the exchange breaks openapi.yaml: " + exchange.method() + " " + exchange.pathAndQuery()
                + (exchange.requestBody() == null ? "" : " " + shorten(exchange.requestBody()))
                + " -> " + exchange.status() + " " + shorten(exchange.responseBody())
                + "\n  - " + String.join("\n  - ", verdict.violations()));
    }

    private static String shorten(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 400 ? text.substring(0, 400) + "..." : text;
    }
}
