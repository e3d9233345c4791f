package catalog.ha;

import java.time.Duration;
import java.util.Optional;

/**
 * One fault of the failure catalogue and the bounds its verdict holds it to: writes back within
 * {@code writesBackWithin} of the fault, the cluster healed by itself within {@code healedWithin}
 * of the repair (the node started again, thawed, reconnected; or the fault itself for one nothing
 * repairs), and reads never failing, except, where nothing at all can serve them (HAProxy itself
 * restarting), until {@code readsMayFailUntil} after the repair.
 */
record CatalogueRow(String fault, Duration writesBackWithin, Duration healedWithin, Optional<Duration> readsMayFailUntil) {
    static CatalogueRow of(String fault, Duration writesBackWithin, Duration healedWithin) {
        return new CatalogueRow(fault, writesBackWithin, healedWithin, Optional.empty());
    }

    CatalogueRow readsMayFailUntilRepairPlus(Duration margin) {
        return new CatalogueRow(fault, writesBackWithin, healedWithin, Optional.of(margin));
    }
}
