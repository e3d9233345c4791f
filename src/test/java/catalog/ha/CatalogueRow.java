package catalog.ha;

import java.time.Duration;
import java.util.Optional;

/**
 * One fault of the failure catalogue and the bounds its verdict holds it to: writes back within
 * {@code writesBackWithin} of the fault, the cluster healed by itself within {@code healedWithin}
 * of the repair (the node started again, thawed, reconnected; or the fault itself for one nothing
 * repairs), and reads never failing, except, where nothing at all can serve them (HAProxy itself
 * restarting), until {@code readsMayFailUntil} after the repair. Where the fault takes a whole host
 * (the several-hosts rows), requests on what died with it (an API instance, an HAProxy the pools
 * hold connections through) may fail in any way if they started within {@code lostWithTheFault} of it.
 * Where the fault kills one API instance, only writes may fail so, within {@code writesLostWithTheFault}:
 * the front sends reads again to the other instance, never a POST it already sent.
 */
record CatalogueRow(String fault, Duration writesBackWithin, Duration healedWithin, Optional<Duration> readsMayFailUntil,
                    Optional<Duration> lostWithTheFault, Optional<Duration> writesLostWithTheFault) {
    static CatalogueRow of(String fault, Duration writesBackWithin, Duration healedWithin) {
        return new CatalogueRow(fault, writesBackWithin, healedWithin, Optional.empty(), Optional.empty(), Optional.empty());
    }

    CatalogueRow readsMayFailUntilRepairPlus(Duration margin) {
        return new CatalogueRow(fault, writesBackWithin, healedWithin, Optional.of(margin), lostWithTheFault, writesLostWithTheFault);
    }

    CatalogueRow requestsMayFailFor(Duration afterTheFault) {
        return new CatalogueRow(fault, writesBackWithin, healedWithin, readsMayFailUntil, Optional.of(afterTheFault),
                writesLostWithTheFault);
    }

    CatalogueRow writesMayFailFor(Duration afterTheFault) {
        return new CatalogueRow(fault, writesBackWithin, healedWithin, readsMayFailUntil, lostWithTheFault,
                Optional.of(afterTheFault));
    }

    /** True when a request that started at {@code startMillis} was on something the fault took with it. */
    boolean lostWithTheFault(long startMillis, long faultAt) {
        return within(lostWithTheFault, startMillis, faultAt);
    }

    /** True when a write that started at {@code startMillis} was on something the fault took with it. */
    boolean writeLostWithTheFault(long startMillis, long faultAt) {
        return lostWithTheFault(startMillis, faultAt) || within(writesLostWithTheFault, startMillis, faultAt);
    }

    private static boolean within(Optional<Duration> window, long startMillis, long faultAt) {
        return window.map(w -> startMillis >= faultAt && startMillis <= faultAt + w.toMillis()).orElse(false);
    }
}
