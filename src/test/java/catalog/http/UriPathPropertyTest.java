package catalog.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.regex.Pattern;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Generated paths (jqwik): a problem's instance is always an RFC 3986 URI reference. */
class UriPathPropertyTest {
    /** path-absolute: "/" then pchars (unreserved, sub-delims, ':', '@', escapes) and '/'. */
    private static final Pattern PATH_ABSOLUTE = Pattern.compile("/(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-F]{2})*");

    @Property(tries = 3000)
    void anyPathBecomesAUriReference(@ForAll String rawPath) {
        String reference = UriPath.reference(rawPath);

        assertThat(reference).matches(PATH_ABSOLUTE);
        assertThat(URI.create(reference).getRawPath()).isEqualTo(reference);
        assertThat(UriPath.reference(reference)).as("encoding an encoded path changes nothing").isEqualTo(reference);
    }

    @Property(tries = 3000)
    void aSegmentDecodesBackToItsText(@ForAll String text) {
        // The text of one segment as a client means it; a lone surrogate has no UTF-8 form to send.
        String segment = text.replace("/", "").replace("%", "");
        Assume.that(segment.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF));

        String reference = UriPath.reference("/products/" + segment);

        assertThat(UriPath.decodeSegment(reference.substring("/products/".length()))).isEqualTo(segment);
    }
}
