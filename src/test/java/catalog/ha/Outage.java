package catalog.ha;

/**
 * A fault that lasts until its repair, as a catalogue row suffers it: the act that breaks something
 * and the act that ends it, each with the word the row's timeline marks it with. A row that only
 * holds the fault between the two hands it to {@link CatalogueRun#endure}, so the three steps
 * (inject, hold, repair) are written once.
 */
record Outage(String fault, CatalogueRun.Step inject, String repair, CatalogueRun.Step undo) {
}
