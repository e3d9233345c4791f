package catalog.products;

import catalog.ApiClient;
import catalog.StandaloneStack;
import catalog.WithStandaloneStack;
import catalog.report.SpecReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the API chapter's classes that share one API share: the run's standalone stack (PostgreSQL
 * and Redis, healed between scenarios by its extension), one API instance started for the class, and
 * the report. A class adds scenarios that talk to {@code api} and check the tables through {@code stack}.
 */
@Tag("api")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(WithStandaloneStack.class)
@ExtendWith(SpecReport.class)
abstract class ApiOnTheStandaloneStack {
    StandaloneStack stack;
    ApiClient api;

    @BeforeAll
    void startTheApi(StandaloneStack shared) {
        stack = shared;
        api = stack.startApi().client();
    }
}
