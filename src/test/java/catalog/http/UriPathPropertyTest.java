package catalog.http;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.products.GeneratedCases;
import catalog.products.GeneratedValues;
import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Generated paths (QuickTheories): a problem's instance is always an RFC 3986 URI reference. */
class UriPathPropertyTest {
    /** path-absolute: "/" then pchars (unreserved, sub-delims, ':', '@', escapes) and '/'. */
    private static final Pattern PATH_ABSOLUTE = Pattern.compile("/(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-F]{2})*");

    @Test
    void anyPathBecomesAUriReference() {
        GeneratedCases cases = GeneratedCases.of(3000);
        // Any text at all, and paths made mostly of what a path encoder must get right.
        Gen<String> rawPaths = Generate.frequency(Pair.of(20, GeneratedValues.textWithLoneSurrogates(0, 100)),
                Pair.of(20, GeneratedValues.textOf("/%.:@?#[] aZ09-_~!$&'()*+,;=é\uD83D\uDE00\u0000\u007F", 0, 40)),
                Pair.of(1, Generate.pick(List.of("", "/", "//", "/..", "/.", "/%", "/%2", "/%zz", "/%2F", "/%2f", "/%C3%A9", "/%FF",
                        "/products/%00", "/a b", "?", "#", "/\uD800", "/\uDC00x", "/products/1?x=1#y"))))
                .describedAs(GeneratedValues::literal);

        cases.qt().forAll(rawPaths).checkAssert(rawPath -> {
            String reference = UriPath.reference(rawPath);

            assertThat(reference).matches(PATH_ABSOLUTE);
            assertThat(URI.create(reference).getRawPath()).isEqualTo(reference);
            assertThat(UriPath.reference(reference)).as("encoding an encoded path changes nothing").isEqualTo(reference);
            cases.count(rawPath.contains("%") ? "with %" : "without %");
        });

        cases.assertRan("with %", "without %");
    }

    @Test
    void aSegmentDecodesBackToItsText() {
        GeneratedCases cases = GeneratedCases.of(3000);

        // The text of one segment as a client means it: never a lone surrogate, which has no UTF-8 form to send.
        cases.qt().forAll(GeneratedValues.text(0, 100).describedAs(GeneratedValues::literal)).checkAssert(text -> {
            String segment = text.replace("/", "").replace("%", "");

            String reference = UriPath.reference("/products/" + segment);

            assertThat(UriPath.decodeSegment(reference.substring("/products/".length()))).isEqualTo(segment);
            cases.count(segment.chars().allMatch(c -> c < 0x80) ? "ASCII" : "beyond ASCII");
        });

        cases.assertRan("ASCII", "beyond ASCII");
    }
}
