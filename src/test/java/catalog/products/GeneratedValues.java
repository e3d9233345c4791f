package catalog.products;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Plain values for the generators of {@link GeneratedInput} (QuickTheories), with their edge cases
 * written in: QuickTheories draws uniformly (apart from each range's two ends and its shrink
 * target, tried first), so the empty text, the control characters, the surrogate pairs, the
 * numbers next to 2^31 and 2^63, and the leading zeros are each given a share here, or a uniform
 * draw would almost never meet them.
 *
 * <p>Choices are made in the order written, the first being where a failing case shrinks to.
 */
public final class GeneratedValues {
    /** Code points a uniform draw over all of Unicode misses: controls, format marks, plane ends. */
    private static final List<Integer> EDGE_CODE_POINTS = List.of(0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x7F, 0x80, 0x85,
            0x9F, 0xA0, 0xAD, 0x0301, 0x200B, 0x200D, 0x2028, 0x2029, 0x202E, 0xD7FF, 0xE000, 0xFEFF, 0xFFFD, 0xFFFE,
            0xFFFF, 0x10000, 0x1F600, 0x10FFFF);

    /** Texts that parsers and encoders get wrong: empty, blank, markup, quotes, escapes, mixed scripts. */
    private static final List<String> EDGE_TEXTS = List.of("", " ", "  ", "\t", "\n", "\r\n", "\u0000", "\u00A0",
            "\uFEFF", "\u202E", "e\u0301", "\uD83D\uDE00", "\uD83C\uDDEB\uD83C\uDDF7", "日本語", "١٢٣", "１２３",
            "\"", "\\", "'", "%", "%25", "%zz", "/", "..", "&", "=", "?", "#", "+", "null", "<script>", "\\u0000");

    private static final List<Long> EDGE_LONGS = List.of(0L, 1L, -1L, 9L, 10L, 100L, 101L, 2_147_483_647L,
            2_147_483_648L, -2_147_483_648L, -2_147_483_649L, 4_294_967_295L, 4_294_967_296L, Long.MAX_VALUE,
            Long.MAX_VALUE - 1, Long.MIN_VALUE, Long.MIN_VALUE + 1);

    private GeneratedValues() {}

    /** One of the generators, each as likely (unlike Generate.oneOf, the first is the shrink target). */
    @SafeVarargs
    public static <T> Gen<T> oneOf(Gen<T>... choices) {
        List<Pair<Integer, Gen<T>>> weighted = new ArrayList<>();
        for (Gen<T> choice : choices) {
            weighted.add(Pair.of(1, choice));
        }
        return Generate.frequency(weighted);
    }

    /** Mostly {@code gen}; one case in ten one of the {@code edges}. */
    @SafeVarargs
    public static <T> Gen<T> withEdges(Gen<T> gen, T... edges) {
        return Generate.frequency(Pair.of(9, gen), Pair.of(1, Generate.pick(Arrays.asList(edges))));
    }

    /**
     * Texts of {@code min} to {@code max} code points from all of Unicode, mostly printable ASCII,
     * controls (NUL included), the rest of the BMP and beyond it (surrogate pairs); never a lone
     * surrogate, which has no UTF-8 form. One case in ten holds an edge text of a length in range.
     */
    public static Gen<String> text(int min, int max) {
        return withEdgeTexts(codePointTexts(min, max, codePoints(false)), min, max);
    }

    /** As {@link #text}, with lone surrogates too (UTF-16 that is not Unicode, as a Java String may be). */
    public static Gen<String> textWithLoneSurrogates(int min, int max) {
        List<String> edges = Stream.of("\uD800", "\uDFFF", "\uDE00\uD83D", "x\uD83D", "\uDC00x")
                .filter(t -> fits(t, min, max)).toList();
        Gen<String> texts = Generate.frequency(Pair.of(12, codePointTexts(min, max, codePoints(true))), Pair.of(1, text(min, max)));
        return edges.isEmpty() ? texts : Generate.frequency(Pair.of(39, texts), Pair.of(1, Generate.pick(edges)));
    }

    /** Texts of {@code min} to {@code max} code points, each one of those in {@code alphabet}. */
    public static Gen<String> textOf(String alphabet, int min, int max) {
        return codePointTexts(min, max, Generate.pick(alphabet.codePoints().boxed().toList()));
    }

    /** ASCII digits, {@code min} to {@code max} of them, leading zeros as likely as any other. */
    public static Gen<String> digits(int min, int max) {
        return textOf("0123456789", min, max);
    }

    /** ASCII letters. */
    public static Gen<String> letters(int min, int max) {
        return textOf("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min, max);
    }

    /** Any int, with 0, +-1 and the bounds of the types near it given a share. */
    public static Gen<Integer> ints() {
        return withEdges(Generate.range(Integer.MIN_VALUE, Integer.MAX_VALUE),
                0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1);
    }

    /** Any long, with 0, +-1, 2^31 and 2^63 (and their neighbours) given a share. */
    public static Gen<Long> longs() {
        return withEdges(Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE), EDGE_LONGS.toArray(Long[]::new));
    }

    /**
     * Finite doubles that are not whole numbers, tiny to 2^52 and of either sign: a JSON number with
     * a fraction that cannot be read as an integer (2.0 can, by JSON Schema's rule).
     */
    public static Gen<Double> fractions() {
        Gen<Double> magnitudes = Generate.longRange(0, Double.doubleToLongBits(0x1p52) - 1).map(Double::longBitsToDouble)
                .map(d -> d == Math.rint(d) ? d + 0.5 : d);
        Gen<Double> signed = magnitudes.zip(Generate.booleans(), (d, negative) -> negative ? -d : d);
        return withEdges(signed, 0.5, -0.5, 0.1, 1.5, 4.9E-324, -4.9E-324, 1.0E-7, 0x1p52 - 0.5, 2_147_483_647.5);
    }

    /** A text as a Java string literal, so that a counterexample can be read and pasted into a test. */
    public static String literal(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        text.chars().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7F) {
                out.append((char) c);
            } else {
                out.append(String.format("\\u%04X", c));
            }
        });
        return out.append('"').toString();
    }

    private static Gen<Integer> codePoints(boolean loneSurrogates) {
        List<Pair<Integer, Gen<Integer>>> kinds = new ArrayList<>(List.of(
                Pair.of(6, Generate.range(0x20, 0x7E)),
                Pair.of(1, Generate.range(0x00, 0x1F)),
                Pair.of(1, Generate.pick(EDGE_CODE_POINTS)),
                Pair.of(2, Generate.range(0x80, 0xD7FF)),
                Pair.of(1, Generate.range(0xE000, 0xFFFF)),
                Pair.of(1, Generate.range(0x10000, Character.MAX_CODE_POINT))));
        if (loneSurrogates) {
            kinds.add(Pair.of(1, Generate.range(Character.MIN_SURROGATE, Character.MAX_SURROGATE)));
        }
        return Generate.frequency(kinds);
    }

    private static Gen<String> codePointTexts(int min, int max, Gen<Integer> codePoints) {
        return Generate.intArrays(Generate.range(min, max), codePoints).map(points -> new String(points, 0, points.length));
    }

    /**
     * Mostly {@code texts}; one case in forty an edge text alone, three in forty one inside a few
     * other code points (alone, an edge is the same case each time, and QuickTheories runs a case
     * only once a property).
     */
    private static Gen<String> withEdgeTexts(Gen<String> texts, int min, int max) {
        List<String> edges = EDGE_TEXTS.stream().filter(t -> fits(t, min, max)).toList();
        if (edges.isEmpty()) {
            return texts;
        }
        Gen<String> alone = Generate.pick(edges);
        Gen<String> around = codePointTexts(0, 3, codePoints(false));
        Gen<String> inside = alone.zip(around, around, (edge, before, after) -> {
            String text = before + edge + after;
            return fits(text, min, max) ? text : edge;
        });
        return Generate.frequency(Pair.of(36, texts), Pair.of(1, alone), Pair.of(3, inside));
    }

    private static boolean fits(String text, int min, int max) {
        int length = text.codePointCount(0, text.length());
        return length >= min && length <= max;
    }
}
