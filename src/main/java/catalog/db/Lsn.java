package catalog.db;

/** PostgreSQL WAL positions as text ("16/B374D848"): which of two is later. */
public final class Lsn {
    private Lsn() {}

    /** The later of two positions; either may be null (none). */
    public static String later(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Long.compareUnsigned(position(a), position(b)) >= 0 ? a : b;
    }

    static long position(String lsn) {
        int slash = lsn.indexOf('/');
        if (slash < 1 || slash == lsn.length() - 1) {
            throw new IllegalArgumentException("not a WAL position: " + lsn);
        }
        return Long.parseUnsignedLong(lsn.substring(0, slash), 16) << 32 | Long.parseUnsignedLong(lsn.substring(slash + 1), 16);
    }
}
