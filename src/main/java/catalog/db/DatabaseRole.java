package catalog.db;

import java.util.Locale;

/** Which kind of server answered: told to clients in the X-Served-By header. */
public enum DatabaseRole {
    PRIMARY,
    REPLICA;

    /** From {@code pg_is_in_recovery()}: a server in recovery is a replica. */
    public static DatabaseRole ofRecovery(boolean inRecovery) {
        return inRecovery ? REPLICA : PRIMARY;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
