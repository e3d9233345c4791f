package catalog.products;

/** What a POST with an Idempotency-Key came to; each case has its own answer. */
public sealed interface KeyedCreation {
    /** The key was new (or expired): the product and the key were stored in one transaction. */
    record Created(Product product) implements KeyedCreation {}

    /** The key was used before for the same product: its first answer, as stored then. */
    record Replayed(long id, String productJson) implements KeyedCreation {}

    /** A request holding the key is still in its transaction: nothing done, retry shortly. */
    record InProgress() implements KeyedCreation {}

    /** The key was used before for another product: nothing done. */
    record KeyReused() implements KeyedCreation {}
}
