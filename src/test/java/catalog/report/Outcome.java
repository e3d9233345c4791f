package catalog.report;

/** How the scenario that recorded some figures ended: figures of a failed scenario are suspect. */
enum Outcome {
    PASSED, FAILED, ABORTED, UNKNOWN
}
