package catalog.products;

import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of request parts for the property tests (jqwik): product bodies valid and not, path
 * segments for ids, query strings. Shared by the unit properties and {@code GeneratedRequestsIT}.
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
    }

    private GeneratedInput() {}

    /** Names the server must accept: 1-200 code points, not blank, no NUL, well-formed Unicode. */
    public static Arbitrary<String> validNames() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(200),
                Arbitraries.strings().withCharRange('\u0001', '\uD7FF').ofMinLength(1).ofMaxLength(200),
                Arbitraries.strings().withChars("ée ß日本語\u00A0\u2028\t\"\\'<>&;%").ofMinLength(1).ofMaxLength(200),
                Arbitraries.of("\uD83D\uDE00", "\uD83C\uDDEB\uD83C\uDDF7", "e\u0301").list().ofMinSize(1).ofMaxSize(100)
                        .map(parts -> String.join("", parts)));
        return text.filter(name -> !name.isBlank() && name.indexOf('\u0000') < 0
                && name.codePointCount(0, name.length()) <= ProductRules.MAX_NAME_LENGTH);
    }

    /** Prices the server must accept: 0 to 9 999 999 999.99, 0 to 2 decimals. */
    public static Arbitrary<BigDecimal> validPrices() {
        return Arbitraries.oneOf(
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("9999999999.99")).ofScale(2),
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("1000")).ofScale(1),
                Arbitraries.longs().between(0, 9_999_999_999L).map(BigDecimal::valueOf),
                Arbitraries.of(new BigDecimal("0"), new BigDecimal("0.01"), new BigDecimal("9999999999.99")));
    }

    /** A price as a client may write it: 1.5, 1.50, 15e-1, 0.15E1. */
    static Arbitrary<String> priceLiterals(BigDecimal price) {
        BigDecimal stripped = price.stripTrailingZeros();
        List<String> forms = new ArrayList<>(List.of(price.toPlainString(), price.setScale(2).toPlainString(),
                stripped.unscaledValue() + "e" + (-stripped.scale()), stripped.unscaledValue() + "E" + (-stripped.scale())));
        return Arbitraries.of(forms);
    }

    /** Valid products, each written one of many ways: field order, white space, price form, stock left out. */
    public static Arbitrary<ProductBody> validBodies() {
        Arbitrary<Integer> stocks = Arbitraries.oneOf(Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.of(0, 1, Integer.MAX_VALUE)).injectNull(0.2);
        return Combinators.combine(validNames(), validPrices(), stocks, Arbitraries.integers().between(0, 5),
                        Arbitraries.of("", " ", "\n", "\t "))
                .flatAs((name, price, stock, order, space) -> priceLiterals(price).map(literal -> {
                    List<String> members = new ArrayList<>();
                    members.add(quote("name") + ":" + space + quote(name));
                    members.add(quote("price") + ":" + space + literal);
                    if (stock != null) {
                        members.add(quote("stock") + ":" + space + stock);
                    }
                    java.util.Collections.rotate(members, order);
                    return new ProductBody(name, price, stock, "{" + space + String.join("," + space, members) + space + "}");
                }));
    }

    /**
     * Bodies of every kind: valid ones, valid ones with one member broken (wrong type, out of
     * range, too precise, missing, unknown, blank or too long), JSON that is not an object, and
     * text that is not JSON at all.
     */
    public static Arbitrary<String> anyBodies() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, validBodies().map(ProductBody::json)),
                net.jqwik.api.Tuple.of(6, brokenBodies()),
                net.jqwik.api.Tuple.of(1, jsonValues(2).map(v -> v)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(80)
                        .filter(GeneratedInput::hasNoLoneSurrogate)));
    }

    private static Arbitrary<String> brokenBodies() {
        Arbitrary<String> name = Arbitraries.oneOf(validNames().map(GeneratedInput::quote), jsonValues(1),
                Arbitraries.of(quote(""), quote("   "), quote("\u0000"), quote("x".repeat(201)),
                        quote("\uD83D\uDE00".repeat(201))));
        Arbitrary<String> price = Arbitraries.oneOf(validPrices().map(BigDecimal::toPlainString), jsonValues(1),
                Arbitraries.bigDecimals().between(new BigDecimal("-1e12"), new BigDecimal("1e12")).ofScale(3).map(BigDecimal::toPlainString),
                Arbitraries.of("-0.01", "10000000000", "1e10", "1e400", "-1e400", "0.001", "1E-400", "12345678901234567890.5"));
        Arbitrary<String> stock = Arbitraries.oneOf(Arbitraries.integers().between(0, 1000).map(String::valueOf), jsonValues(1),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("-1", "2147483648", "9223372036854775808", "1.5", "-0.5", "1e400"));
        Arbitrary<String> extra = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)
                        .filter(k -> !List.of("name", "price", "stock").contains(k))
                        .flatMap(key -> jsonValues(1).map(value -> "," + quote(key) + ":" + value)));
        return Combinators.combine(name, price, stock, Arbitraries.integers().between(0, 7), extra)
                .as((n, p, s, drop, more) -> {
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
    static Arbitrary<String> jsonValues(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(10).filter(GeneratedInput::hasNoLoneSurrogate).map(GeneratedInput::quote),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.doubles().filter(d -> Double.isFinite(d) && d != Math.rint(d)).map(String::valueOf),
                Arbitraries.of("true", "false", "null"));
        if (depth == 0) {
            return scalar;
        }
        return Arbitraries.oneOf(scalar,
                jsonValues(depth - 1).list().ofMaxSize(3).map(items -> "[" + String.join(",", items) + "]"),
                jsonValues(depth - 1).list().ofMaxSize(2).map(items -> {
                    StringBuilder object = new StringBuilder("{");
                    for (int i = 0; i < items.size(); i++) {
                        object.append(i == 0 ? "" : ",").append(quote("k" + i)).append(':').append(items.get(i));
                    }
                    return object.append('}').toString();
                }));
    }

    /** Path segments for an id: digits near the bounds, signs, spaces, SQL, any text. */
    public static Arbitrary<String> idSegments() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(1, Long.MAX_VALUE).map(String::valueOf),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25),
                Arbitraries.bigIntegers().between(BigInteger.valueOf(Long.MAX_VALUE).subtract(BigInteger.TEN),
                        BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.TEN)).map(BigInteger::toString),
                Arbitraries.of("0", "-1", "+1", "00", "007", " 1", "1 ", "1.0", "1e3", "0x10", "١٢٣", "1 OR 1=1", "`", "%", "/"),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(30).filter(GeneratedInput::hasNoLoneSurrogate));
    }

    /** Raw query strings over limit and after: in range, out of range, not numbers, empty, unknown names. */
    public static Arbitrary<String> queryStrings() {
        Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of("limit", "after"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6));
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 100).map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("", "0", "101", "-1", "+5", "9223372036854775807", "9223372036854775808", "1.5", "abc", " 5"),
                Arbitraries.strings().all().ofMaxLength(12).filter(GeneratedInput::hasNoLoneSurrogate));
        Arbitrary<String> pair = Combinators.combine(name, value).as((n, v) -> encode(n) + "=" + encode(v));
        return pair.list().ofMaxSize(4)
                .map(pairs -> String.join("&", pairs));
    }

    /** Percent-encoding for a path segment or a query component (everything but unreserved). */
    public static String encode(String text) {
        // "." too: java.net.URI would resolve a ".." segment away before the request is sent.
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace(".", "%2E");
    }

    static String quote(String text) {
        return new JsonPrimitive(text).toString();
    }

    static boolean hasNoLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
