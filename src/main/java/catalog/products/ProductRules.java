package catalog.products;

import java.math.BigDecimal;
import java.util.List;

/**
 * What a valid product is, the same rules as the table's CHECK constraints: name of 1-200
 * characters (code points, as PostgreSQL's char_length counts them), price >= 0 with at most 2
 * decimals that fits NUMERIC(12,2), stock an integer from 0 to 2^31-1 (INTEGER). openapi.yaml says
 * the same; the contract check fails when the two disagree. Each check adds readable problems.
 */
final class ProductRules {
    static final int MAX_NAME_LENGTH = 200;
    static final BigDecimal MAX_PRICE = new BigDecimal("10000000000"); // NUMERIC(12,2): 10 integer digits

    private ProductRules() {}

    static void checkName(String name, List<String> problems) {
        int length = name.codePointCount(0, name.length());
        if (length < 1 || name.isBlank()) {
            problems.add("name must not be empty or blank");
        } else if (length > MAX_NAME_LENGTH) {
            problems.add("name must be at most " + MAX_NAME_LENGTH + " characters (got " + length + ")");
        }
        // PostgreSQL text cannot hold NUL, and a lone surrogate is not Unicode: neither could be
        // stored and returned verbatim, so both are refused here rather than altered.
        if (name.indexOf('\u0000') >= 0) {
            problems.add("name must not contain the NUL character");
        }
        if (!isWellFormed(name)) {
            problems.add("name must be valid Unicode (it contains an unpaired surrogate)");
        }
    }

    static void checkPrice(BigDecimal price, List<String> problems) {
        if (price.signum() < 0) {
            problems.add("price must be >= 0");
        } else if (price.compareTo(MAX_PRICE) >= 0) {
            problems.add("price must be less than " + MAX_PRICE.toPlainString());
        }
        if (price.stripTrailingZeros().scale() > 2) {
            problems.add("price must have at most 2 decimals");
        }
    }

    static int checkStock(BigDecimal stock, List<String> problems) {
        BigDecimal whole = stock.stripTrailingZeros();
        if (whole.scale() > 0) {
            problems.add("stock must be an integer");
            return 0;
        }
        if (stock.signum() < 0 || stock.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            problems.add("stock must be from 0 to " + Integer.MAX_VALUE);
            return 0;
        }
        return stock.intValueExact();
    }

    private static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

}
