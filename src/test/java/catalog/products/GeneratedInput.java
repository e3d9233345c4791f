package catalog.products;

import static catalog.products.GeneratedValues.oneOf;
import static catalog.products.GeneratedValues.withEdges;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Generators of request parts for the property tests (QuickTheories): product bodies valid and
 * not, path segments for ids, query strings. Shared by the unit properties and
 * {@code GeneratedRequestsIT}. The plain values under them, and their edge cases, are in
 * {@link GeneratedValues}; every generator here is built so that it never has to reject a draw
 * (QuickTheories gives up on a case after ten rejected draws, and fails the property).
 *
 * <p>They leave out the three inputs a JSON Schema cannot judge the way the server does (see
 * openapi.yaml): a member given twice, a lone surrogate escape in a name, and a stock written
 * as a whole number with a fraction ({@code 2.0}). Each has a fixed example in the hand-written
 * corpus (ProductJsonTest) instead.
 */
public final class GeneratedInput {
    /** A valid product and one way of writing it as a body. */
    public record ProductBody(String name, BigDecimal price, Integer stock, String json) {
        /** The product the server must create from this body (stock defaults to 0; price at 2 decimals). */
        public NewProduct expected() {
            return new NewProduct(name, price.setScale(2), stock == null ? 0 : stock);
        }

        @Override
        public String toString() {
            return GeneratedValues.literal(json);
        }
    }

    private static final BigDecimal MAX_PRICE = new BigDecimal("9999999999.99");
    private static final BigInteger MAX_ID = BigInteger.valueOf(Long.MAX_VALUE);

    private GeneratedInput() {}

    /** Names the server must accept: 1-200 code points, not blank, no NUL, well-formed Unicode. */
    public static Gen<String> validNames() {
        Gen<String> text = oneOf(
                GeneratedValues.textOf(printableAscii(), 1, 200),
                GeneratedValues.textOf("\u0001\u001F\u007F\u0085", 1, 3),
                Generate.intArrays(Generate.range(1, 200), Generate.range(0x01, 0xD7FF)).map(GeneratedInput::string),
                GeneratedValues.textOf("ée ß日本語\u00A0\u2028\t\"\\'<>&;%", 1, 200),
                Generate.intArrays(Generate.range(1, 100), Generate.range(0, 2))
                        .map(parts -> join(parts, "\uD83D\uDE00", "\uD83C\uDDEB\uD83C\uDDF7", "e\u0301")),
                Generate.pick(List.of("x", "x".repeat(200), "\uD83D\uDE00".repeat(200), "\uD83C\uDDEB".repeat(200),
                        " x", "x ", "\u00A0", "\uFEFF", "\u202Ex", "0", "null", "'; DROP TABLE products; --", "<b>&amp;</b>")));
        // Blank is refused: such a draw gets a letter in front instead (the length stays in range).
        return text.map(name -> name.isBlank() ? "x" + name.substring(name.offsetByCodePoints(0, 1)) : name)
                .describedAs(GeneratedValues::literal);
    }

    /** Prices the server must accept: 0 to 9 999 999 999.99, 0 to 2 decimals. */
    public static Gen<BigDecimal> validPrices() {
        return oneOf(
                Generate.longRange(0, 999_999_999_999L).map(cents -> BigDecimal.valueOf(cents, 2)),
                Generate.longRange(0, 10_000).map(tenths -> BigDecimal.valueOf(tenths, 1)),
                Generate.longRange(0, 9_999_999_999L).map(n -> BigDecimal.valueOf(n)),
                Generate.pick(List.of(new BigDecimal("0"), new BigDecimal("0.01"), MAX_PRICE, new BigDecimal("0.00"),
                        new BigDecimal("0.1"), new BigDecimal("9999999999"), new BigDecimal("9999999999.9"))));
    }

    /** A price as a client may write it: 1.5, 1.50, 15e-1, 0.15E1. */
    static Gen<String> priceLiterals(BigDecimal price) {
        BigDecimal stripped = price.stripTrailingZeros();
        List<String> forms = new ArrayList<>(List.of(price.toPlainString(), price.setScale(2).toPlainString(),
                stripped.unscaledValue() + "e" + (-stripped.scale()), stripped.unscaledValue() + "E" + (-stripped.scale())));
        return Generate.pick(forms);
    }

    /** Valid products, each written one of many ways: field order, white space, price form, stock left out. */
    public static Gen<ProductBody> validBodies() {
        Gen<String> names = validNames();
        Gen<BigDecimal> prices = validPrices();
        Gen<Integer> stocks = Generate.frequency(
                Pair.of(4, withEdges(Generate.range(0, Integer.MAX_VALUE), 0, 1, Integer.MAX_VALUE, Integer.MAX_VALUE - 1)),
                Pair.of(1, Generate.constant((Integer) null)));
        Gen<Integer> orders = Generate.range(0, 5);
        Gen<String> spaces = Generate.pick(List.of("", " ", "\n", "\t ", "\r\n"));
        return in -> {
            String name = names.generate(in);
            BigDecimal price = prices.generate(in);
            String literal = priceLiterals(price).generate(in);
            Integer stock = stocks.generate(in);
            int order = orders.generate(in);
            String space = spaces.generate(in);
            List<String> members = new ArrayList<>();
            members.add(quote("name") + ":" + space + quote(name));
            members.add(quote("price") + ":" + space + literal);
            if (stock != null) {
                members.add(quote("stock") + ":" + space + stock);
            }
            Collections.rotate(members, order);
            return new ProductBody(name, price, stock, "{" + space + String.join("," + space, members) + space + "}");
        };
    }

    /**
     * Bodies of every kind: valid ones, valid ones with one member broken (wrong type, out of
     * range, too precise, missing, unknown, blank or too long), JSON that is not an object, and
     * text that is not JSON at all.
     */
    public static Gen<String> anyBodies() {
        return Generate.frequency(
                Pair.of(3, validBodies().map(ProductBody::json)),
                Pair.of(6, brokenBodies()),
                Pair.of(1, jsonValues(2)),
                Pair.of(1, GeneratedValues.text(0, 80))).describedAs(GeneratedValues::literal);
    }

    /**
     * Byte strings as a body: random bytes, a valid body's UTF-8 with one byte changed or cut
     * short, and byte sequences that are not UTF-8 (overlong forms, an encoded surrogate, a stray
     * continuation byte, a byte order mark in front).
     */
    public static Gen<byte[]> anyBytes() {
        Gen<byte[]> valid = validBodies().map(body -> body.json().getBytes(StandardCharsets.UTF_8));
        Gen<byte[]> changed = valid.zip(Generate.range(0, Integer.MAX_VALUE), Generate.range(0, 255), (bytes, at, value) -> {
            byte[] copy = bytes.clone();
            copy[at % copy.length] = (byte) (int) value;
            return copy;
        });
        Gen<byte[]> cut = valid.zip(Generate.range(0, Integer.MAX_VALUE), (bytes, at) -> Arrays.copyOf(bytes, at % bytes.length));
        byte[] body = "{\"name\":\"x\",\"price\":1}".getBytes(StandardCharsets.UTF_8);
        Gen<byte[]> edges = Generate.pick(List.of(new byte[0], body, withPrefix(body, 0xEF, 0xBB, 0xBF),
                withPrefix(body, 0xFE, 0xFF), nameBytes(0xC0, 0x80), nameBytes(0xE0, 0x80, 0x80), nameBytes(0xED, 0xA0, 0x80),
                nameBytes(0x80), nameBytes(0xF8, 0x88, 0x80, 0x80, 0x80), nameBytes(0xF4, 0x90, 0x80, 0x80), nameBytes(0xFF)));
        // Each fixed sequence is one case however often drawn: a small share for those.
        return Generate.frequency(
                Pair.of(3, Generate.byteArrays(Generate.range(0, 300), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))),
                Pair.of(3, valid), Pair.of(6, changed), Pair.of(3, cut), Pair.of(1, edges)).describedAs(Arrays::toString);
    }

    private static Gen<String> brokenBodies() {
        Gen<String> name = oneOf(validNames().map(GeneratedInput::quote), jsonValues(1),
                Generate.pick(List.of(quote(""), quote("   "), quote("\u0000"), quote("x\u0000y"), quote("\t\n"),
                        quote("x".repeat(201)), quote("\uD83D\uDE00".repeat(201)), quote("\u2028"))));
        Gen<String> price = oneOf(validPrices().map(BigDecimal::toPlainString), jsonValues(1),
                Generate.longRange(-1_000_000_000_000_000L, 1_000_000_000_000_000L).map(mills -> BigDecimal.valueOf(mills, 3).toPlainString()),
                Generate.pick(List.of("-0.01", "10000000000", "1e10", "1e400", "-1e400", "0.001", "1E-400", "12345678901234567890.5",
                        "10000000000.00", "9999999999.995", "9999999999.999", "-1", "0.00001")));
        Gen<String> stock = oneOf(Generate.range(0, 1000).map(n -> String.valueOf(n)), jsonValues(1),
                GeneratedValues.longs().map(n -> String.valueOf(n)),
                Generate.pick(List.of("-1", "2147483648", "9223372036854775808", "1.5", "-0.5", "1e400",
                        "2147483647", "-2147483648", "-2147483649", "4294967296", "18446744073709551616")));
        Gen<String> extra = oneOf(Generate.constant(""),
                GeneratedValues.letters(1, 10).map(key -> List.of("name", "price", "stock").contains(key) ? key + "x" : key)
                        .zip(jsonValues(1), (key, value) -> "," + quote(key) + ":" + value));
        return name.zip(price, stock, Generate.range(0, 7), extra, (n, p, s, drop, more) -> {
            List<String> members = new ArrayList<>();
            if ((drop & 1) == 0) {
                members.add(quote("name") + ":" + n);
            }
            if ((drop & 2) == 0) {
                members.add(quote("price") + ":" + p);
            }
            if ((drop & 4) == 0) {
                members.add(quote("stock") + ":" + s);
            }
            return "{" + String.join(",", members) + (members.isEmpty() ? more.replaceFirst("^,", "") : more) + "}";
        });
    }

    /** Any JSON value, nested to {@code depth}; never a stock-like integral fraction such as 2.0. */
    static Gen<String> jsonValues(int depth) {
        Gen<String> scalar = oneOf(
                GeneratedValues.text(0, 10).map(GeneratedInput::quote),
                GeneratedValues.ints().map(n -> String.valueOf(n)),
                GeneratedValues.fractions().map(n -> String.valueOf(n)),
                Generate.pick(List.of("true", "false", "null")));
        if (depth == 0) {
            return scalar;
        }
        Gen<String> items = jsonValues(depth - 1);
        Gen<String> arrays = lists().of(items).ofSizeBetween(0, 3).map(values -> "[" + String.join(",", values) + "]");
        Gen<String> objects = lists().of(items).ofSizeBetween(0, 2).map(values -> {
            StringBuilder object = new StringBuilder("{");
            for (int i = 0; i < values.size(); i++) {
                object.append(i == 0 ? "" : ",").append(quote("k" + i)).append(':').append(values.get(i));
            }
            return object.append('}').toString();
        });
        return oneOf(scalar, arrays, objects);
    }

    /** Path segments for an id: digits near the bounds, leading zeros, signs, spaces, SQL, any text. */
    public static Gen<String> idSegments() {
        // Each fixed value is one case however often drawn: a small share for those.
        return Generate.frequency(
                Pair.of(12, Generate.longRange(1, Long.MAX_VALUE).map(n -> String.valueOf(n))),
                Pair.of(12, GeneratedValues.digits(1, 25)),
                Pair.of(1, Generate.range(-10, 10).map(offset -> MAX_ID.add(BigInteger.valueOf(offset)).toString())),
                Pair.of(1, Generate.pick(List.of("0", "-1", "+1", "00", "007", " 1", "1 ", "1.0", "1e3", "0x10", "١٢٣", "1 OR 1=1", "`", "%", "/",
                        "1", "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
                        "-9223372036854775808", "18446744073709551616", "0009223372036854775807", "0000000000000000000000001",
                        "１２３", "1\u0000", "\t1", "1\n", "..", "-0", "٠"))),
                Pair.of(12, GeneratedValues.text(1, 30))).describedAs(GeneratedValues::literal);
    }

    /** Raw query strings over limit and after: in range, out of range, not numbers, empty, unknown names. */
    public static Gen<String> queryStrings() {
        Gen<String> name = oneOf(Generate.pick(List.of("limit", "after")), GeneratedValues.letters(1, 6));
        Gen<String> value = oneOf(
                Generate.range(1, 100).map(n -> String.valueOf(n)),
                GeneratedValues.longs().map(n -> String.valueOf(n)),
                Generate.pick(List.of("", "0", "101", "-1", "+5", "9223372036854775807", "9223372036854775808", "1.5", "abc", " 5",
                        "1", "100", "0100", "007", "2147483647", "2147483648", "-9223372036854775808", "18446744073709551616",
                        "１０", "1e2", "0x10")),
                GeneratedValues.text(0, 12));
        Gen<String> pair = name.zip(value, (n, v) -> encode(n) + "=" + encode(v));
        // The empty query is one case however often drawn: a small share for it.
        Gen<Integer> sizes = Generate.frequency(Pair.of(1, Generate.constant(0)), Pair.of(19, Generate.range(1, 4)));
        return lists().of(pair).ofSizes(sizes).map(pairs -> String.join("&", pairs)).describedAs(GeneratedValues::literal);
    }

    /** Percent-encoding for a path segment or a query component (everything but unreserved). */
    public static String encode(String text) {
        // "." too: java.net.URI would resolve a ".." segment away before the request is sent.
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace(".", "%2E");
    }

    static String quote(String text) {
        return new JsonPrimitive(text).toString();
    }

    private static String printableAscii() {
        StringBuilder ascii = new StringBuilder();
        for (char c = ' '; c <= '~'; c++) {
            ascii.append(c);
        }
        return ascii.toString();
    }

    private static String string(int[] codePoints) {
        return new String(codePoints, 0, codePoints.length);
    }

    private static String join(int[] parts, String... choices) {
        StringBuilder text = new StringBuilder();
        for (int part : parts) {
            text.append(choices[part]);
        }
        return text.toString();
    }

    private static byte[] withPrefix(byte[] body, int... prefix) {
        byte[] bytes = new byte[prefix.length + body.length];
        for (int i = 0; i < prefix.length; i++) {
            bytes[i] = (byte) prefix[i];
        }
        System.arraycopy(body, 0, bytes, prefix.length, body.length);
        return bytes;
    }

    /** A valid body whose name is the given bytes, which are not UTF-8. */
    private static byte[] nameBytes(int... name) {
        byte[] start = "{\"name\":\"x".getBytes(StandardCharsets.UTF_8);
        byte[] end = "\",\"price\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(start, start.length + name.length + end.length);
        for (int i = 0; i < name.length; i++) {
            bytes[start.length + i] = (byte) name[i];
        }
        System.arraycopy(end, 0, bytes, start.length + name.length, end.length);
        return bytes;
    }
}
