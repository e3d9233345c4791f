package catalog.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API keys clients may present, stored as SHA-256 digests only (a leaked configuration does not
 * leak a key), each with its client's name and right. An entry is {@code client:sha256hex} (may
 * read and write) or {@code client:sha256hex:read} (may read only). A client may have several keys
 * (one per entry), so a key can be rotated without a gap.
 *
 * <p>A presented key is hashed once and compared with every digest with
 * {@link MessageDigest#isEqual} (constant time for equal lengths), without stopping at the first
 * match: how long the check takes says nothing about which digest, or how much of one, matched.
 */
public final class ApiKeys {
    /** A client's name is a metric label and part of an idempotency record's key: short and plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern DIGEST = Pattern.compile("[0-9a-fA-F]{64}");
    public static final ApiKeys NONE = new ApiKeys(List.of());

    private record Entry(Client client, byte[] digest) {}

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses entries, one per element; blank elements and {@code #} comments are skipped. Throws
     * {@link IllegalArgumentException} describing the first malformed entry (never its digest).
     */
    public static ApiKeys parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        Set<String> digests = new HashSet<>();
        int number = 0;
        for (String line : lines) {
            number++;
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            String[] parts = entry.split(":", -1);
            boolean readOnly = parts.length == 3 && parts[2].equals("read");
            if (parts.length != 2 && !readOnly) {
                throw malformed(number, "is not client:sha256hex or client:sha256hex:read");
            }
            if (!NAME.matcher(parts[0]).matches()) {
                throw malformed(number, "has a client name that is not 1 to 64 letters, digits, '.', '_' or '-'");
            }
            if (!DIGEST.matcher(parts[1]).matches()) {
                throw malformed(number, "(client " + parts[0] + ") has no SHA-256 digest: 64 hex digits, as sha256sum prints");
            }
            String hex = parts[1].toLowerCase(java.util.Locale.ROOT);
            if (!digests.add(hex)) {
                throw malformed(number, "(client " + parts[0] + ") repeats a key given before");
            }
            entries.add(new Entry(new Client(parts[0], !readOnly), HexFormat.of().parseHex(hex)));
        }
        return new ApiKeys(entries);
    }

    private static IllegalArgumentException malformed(int number, String why) {
        return new IllegalArgumentException("entry " + number + " " + why);
    }

    /** The client whose key this is, or empty for an unknown key. */
    public Optional<Client> find(String presentedKey) {
        byte[] digest = sha256(presentedKey);
        Client found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(digest, entry.digest()) && found == null) {
                found = entry.client();
            }
        }
        return Optional.ofNullable(found);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The digest as API_KEYS wants it (what {@code printf %s "$key" | sha256sum} prints). */
    public static String digestOf(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The clients' names only: digests stay out of logs. */
    @Override
    public String toString() {
        return "ApiKeys" + entries.stream().map(e -> e.client().name() + (e.client().mayWrite() ? "" : "(read)"))
                .distinct().toList();
    }
}
