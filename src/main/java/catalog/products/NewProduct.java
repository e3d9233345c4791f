package catalog.products;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A product as a client sends it (POST creates one, PUT replaces one), already validated by
 * {@link ProductJson}: name of 1-200 characters, price >= 0 with at most 2 decimals, stock 0 to 2^31-1.
 */
public record NewProduct(String name, BigDecimal price, int stock) {

    /**
     * What an Idempotency-Key is bound to: the product once validated, so field order, white space
     * and {@code 1} against {@code 1.00} do not make a retry "another body". SHA-256, hex.
     */
    public String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            // NUL cannot occur in a valid name: it separates the fields unambiguously.
            String canonical = name + '\u0000' + price.toPlainString() + '\u0000' + stock;
            return HexFormat.of().formatHex(digest.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
