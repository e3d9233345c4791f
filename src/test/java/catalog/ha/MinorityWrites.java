package catalog.ha;

import catalog.lab.Probe;
import catalog.lab.SwarmHost;
import catalog.lab.SwarmLab;
import java.util.List;

/**
 * The catalogue's load sent to the front of a host cut from the others, beside the row's own load
 * on the majority side: what the cut-off side still acknowledges, and whether the final leader
 * holds it. A partition is safe when that side stops acknowledging before the other side promotes,
 * and everything it did acknowledge survives.
 */
final class MinorityWrites implements AutoCloseable {
    private final SwarmLab lab;
    private final RequestLedger ledger;

    MinorityWrites(SwarmLab lab, SwarmHost host, HostLossRun run) {
        this.lab = lab;
        this.ledger = new RequestLedger("cut-off side of " + host, () -> lab.frontOn(host), run.timeline());
        ledger.awaitBaseline(java.time.Duration.ofSeconds(30));
    }

    /**
     * Writes that started at or after {@code fromMillis} and were acknowledged before {@code toMillis},
     * on the row's clock. By the acknowledgement, not the start: a write still in flight when the cut
     * is lifted may be committed by the other side's leader, as any write after the repair.
     */
    long acknowledgedBetween(long fromMillis, long toMillis) {
        return ledger.writes().stream().filter(a -> a.ok() && a.startMillis() >= fromMillis && a.endMillis() < toMillis).count();
    }

    /** When the last write acknowledged before {@code toMillis} started, on the row's clock. */
    long lastStartAcknowledgedBefore(long toMillis) {
        return ledger.writes().stream().filter(a -> a.ok() && a.endMillis() < toMillis)
                .mapToLong(Probe.Attempt::startMillis).max().orElse(0);
    }

    /** Ids acknowledged on this side that the leader does not hold as acknowledged. */
    List<Long> lost(String leader) throws Exception {
        ledger.close();
        var stored = new StoredProducts(lab, leader).of(ledger.writes());
        return ledger.writes().stream().filter(Probe.Attempt::ok).map(Probe.Attempt::value)
                .filter(a -> !stored.containsKey(a.id()) || !stored.get(a.id()).name().equals(a.name()))
                .map(RequestLedger.Acknowledged::id).toList();
    }

    @Override
    public void close() {
        ledger.close();
    }
}
