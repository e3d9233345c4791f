package catalog.ha;

import catalog.lab.Probe;
import catalog.lab.SwarmLab;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The acknowledged products as the final leader of the several-hosts lab stores them, read with
 * psql inside its task (the test has no JDBC path to a node there): what the verdict compares each
 * acknowledged write with.
 */
final class StoredProducts {
    private final SwarmLab lab;
    private final String leader;

    StoredProducts(SwarmLab lab, String leader) {
        this.lab = lab;
        this.leader = leader;
    }

    Map<Long, Verdict.Stored> of(List<Probe.Attempt<RequestLedger.Acknowledged>> writes) throws Exception {
        List<Long> ids = writes.stream().filter(Probe.Attempt::ok).map(a -> a.value().id()).toList();
        Map<Long, Verdict.Stored> stored = new HashMap<>();
        if (ids.isEmpty()) {
            return stored;
        }
        String list = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
        // Names are the ledger's own ("<fault> #<n>"): no separator to fear in them but the one chosen.
        String out = lab.sql(leader, "select id || '|' || price || '|' || name from products where id in (" + list + ")");
        for (String line : out.lines().filter(l -> !l.isBlank()).toList()) {
            String[] parts = line.split("\\|", 3);
            stored.put(Long.parseLong(parts[0]), new Verdict.Stored(parts[2], new BigDecimal(parts[1])));
        }
        return stored;
    }
}
