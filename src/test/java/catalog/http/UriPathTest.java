package catalog.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UriPathTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @DisplayName("a raw path becomes a URI reference: forbidden characters encoded as UTF-8, escapes kept")
    @CsvSource(delimiter = '|', textBlock = """
            /products/12                | /products/12
            /products/%60               | /products/%60
            /products/`                 | /products/%60
            /products/a b               | /products/a%20b
            /products/é                 | /products/%C3%A9
            /products/%c3%a9            | /products/%C3%A9
            /products/100%              | /products/100%25
            /products/%zz               | /products/%25zz
            /products/a\"<>\\^{}        | /products/a%22%3C%3E%5C%5E%7B%7D
            /products/:@!$&'()*+,;=-._~ | /products/:@!$&'()*+,;=-._~
            /products/\uD83D\uDE00      | /products/%F0%9F%98%80
            /products/\uD800            | /products/%EF%BF%BD
            products                    | /products
            # Found by the generated paths: a code point beyond U+FFFF is never taken for a lone
            # surrogate, and a path starting "//" does not become a host.
            /products/\uD836\uDC76      | /products/%F0%9D%A1%B6
            /products/\uD876\uDC00      | /products/%F0%AD%A0%80
            //                          | /.//
            //evil.example/x            | /.//evil.example/x
            /.//x                       | /.//x
            """)
    void reference(String raw, String expected) {
        assertThat(UriPath.reference(raw)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @DisplayName("a segment is percent-decoded as UTF-8; '+' stays a plus; a stray '%' stays itself")
    @CsvSource(delimiter = '|', value = {
            "12|12", "a%2Fb|a/b", "caf%C3%A9|café", "a+b|a+b", "100%|100%", "%zz|%zz", "%E2%82%AC|€"})
    void decodeSegment(String raw, String decoded) {
        assertThat(UriPath.decodeSegment(raw)).isEqualTo(decoded);
    }
}
