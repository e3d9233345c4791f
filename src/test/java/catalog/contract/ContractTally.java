package catalog.contract;

import catalog.report.Tally;

/** The names under which API clients count their contract checks for the spec report. */
public final class ContractTally {
    /** The report section's title. */
    public static final String TITLE = "The API contract: every request the scenarios made through ApiClient, checked against openapi.yaml";
    public static final String REQUESTS = "requests checked against the document";
    public static final String RESPONSES = "responses checked against the document";
    public static final String REFUSED = "requests the document refuses (bad input on purpose), answered 4xx";
    public static final String UNKNOWN_PATHS = "requests to paths the document does not have, answered 404";
    public static final String WRONG_METHODS = "requests with a method the path does not offer, answered 405";
    public static final String VIOLATIONS = "exchanges the document does not describe";
    public static final String UNANSWERED = "requests without an answer (timeout, refused connection)";

    private ContractTally() {}

    /** One request and its answer, checked. */
    public static void count(Tally tally, Contract.Verdict verdict) {
        tally.add(REQUESTS, 1);
        tally.add(RESPONSES, 1);
        switch (verdict.kind()) {
            case UNKNOWN_PATH -> tally.add(UNKNOWN_PATHS, 1);
            case METHOD_NOT_ALLOWED -> tally.add(WRONG_METHODS, 1);
            case OPERATION -> {
                if (!verdict.requestAccepted()) {
                    tally.add(REFUSED, 1);
                }
            }
        }
        if (!verdict.kept()) {
            tally.add(VIOLATIONS, 1);
        }
    }

    /** One request checked that got no answer to check. */
    public static void countUnanswered(Tally tally) {
        tally.add(REQUESTS, 1);
        tally.add(UNANSWERED, 1);
    }
}
