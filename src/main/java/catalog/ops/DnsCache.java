package catalog.ops;

import java.security.Security;

/**
 * The JVM caches host name lookups: an answer for 30 s, a failed lookup for 10 s. A container that
 * is restarted (Redis, HAProxy, a database node) may come back at another address, and a name that
 * vanished from Docker's DNS while it was down would keep failing for 10 s after it is back; the
 * API must follow within seconds. Applied once at start-up, before the first lookup, unless the
 * operator chose values (in java.security or with -Dsun.net.inetaddr.ttl).
 */
public final class DnsCache {
    /** Seconds a resolved address is reused: short, and still one lookup per name per burst of connects. */
    public static final int TTL_SECONDS = 2;
    /** Seconds a failed lookup is remembered. */
    public static final int NEGATIVE_TTL_SECONDS = 1;

    private DnsCache() {}

    public static void followAddressChanges() {
        if (Security.getProperty("networkaddress.cache.ttl") == null && System.getProperty("sun.net.inetaddr.ttl") == null) {
            Security.setProperty("networkaddress.cache.ttl", Integer.toString(TTL_SECONDS));
        }
        // The JDK ships java.security with negative.ttl=10: that value is the default, not a choice.
        if ("10".equals(Security.getProperty("networkaddress.cache.negative.ttl"))
                && System.getProperty("sun.net.inetaddr.negative.ttl") == null) {
            Security.setProperty("networkaddress.cache.negative.ttl", Integer.toString(NEGATIVE_TTL_SECONDS));
        }
    }
}
