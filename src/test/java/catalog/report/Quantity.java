package catalog.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Formats measured values for people: 3 not 3.000, 10.4 not 10.400000001, 0.00123 kept. */
final class Quantity {
    private Quantity() {}

    static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) value);
        }
        // Four significant digits: more than a loaded 2-core machine can measure reliably.
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(4));
        return rounded.stripTrailingZeros().toPlainString();
    }

    static String withUnit(double value, String unit) {
        return unit == null || unit.isBlank() ? format(value) : format(value) + " " + unit;
    }

    /** A latency in milliseconds as a short label: 0.5 ms, 12 ms, 1.5 s. */
    static String millis(double ms) {
        return ms >= 1000 ? format(ms / 1000) + " s" : format(ms) + " ms";
    }
}
