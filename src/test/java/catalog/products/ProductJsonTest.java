package catalog.products;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import catalog.http.Problem;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProductJsonTest {
    private static NewProduct read(String json) {
        return ProductJson.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String rejection(String json) {
        Problem problem = catchThrowableOfType(Problem.class, () -> read(json));
        assertThat(problem).as(json).isNotNull();
        assertThat(problem.status()).isEqualTo(400);
        return problem.detail();
    }

    @Test
    @DisplayName("a valid product is read with its price at two decimals and stock defaulting to 0")
    void valid() {
        NewProduct product = read("{\"name\":\"Clavier\",\"price\":49.9}");

        assertThat(product.name()).isEqualTo("Clavier");
        assertThat(product.price()).isEqualTo(new BigDecimal("49.90"));
        assertThat(product.stock()).isZero();
        assertThat(read("{\"stock\":3,\"price\":0,\"name\":\"x\"}").stock()).isEqualTo(3);
    }

    @Test
    @DisplayName("names are kept verbatim: quotes, SQL, unicode, 200 code points of emoji")
    void verbatimNames() {
        String emoji = "\uD83D\uDE00".repeat(200);
        assertThat(read("{\"name\":\"O'Brien \\\"quoted\\\"; DROP TABLE products;--\",\"price\":1}").name())
                .isEqualTo("O'Brien \"quoted\"; DROP TABLE products;--");
        assertThat(read("{\"name\":\"" + emoji + "\",\"price\":1}").name()).isEqualTo(emoji);
        assertThat(read("{\"name\":\"  café  \",\"price\":1}").name()).isEqualTo("  café  ");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @DisplayName("each bad body is a 400 whose detail says what is wrong")
    @CsvSource(delimiter = '|', value = {
            "{\"name\":\"x\",\"price\":-1}|price must be >= 0",
            "{\"name\":\"x\",\"price\":1.234}|at most 2 decimals",
            "{\"name\":\"x\",\"price\":\"12\"}|price must be a number",
            "{\"name\":\"x\",\"price\":10000000000}|price must be less than",
            "{\"name\":\"\",\"price\":1}|name must not be empty",
            "{\"name\":\"   \",\"price\":1}|name must not be empty",
            "{\"name\":5,\"price\":1}|name must be a string",
            "{\"name\":null,\"price\":1}|name must be a string",
            "{\"price\":1}|name is required",
            "{\"name\":\"x\"}|price is required",
            "{\"name\":\"x\",\"price\":1,\"stock\":-1}|stock must be from 0",
            "{\"name\":\"x\",\"price\":1,\"stock\":1.5}|stock must be an integer",
            "{\"name\":\"x\",\"price\":1,\"stock\":\"3\"}|stock must be an integer",
            "{\"name\":\"x\",\"price\":1,\"stock\":3000000000}|stock must be from 0",
            "{\"name\":\"x\",\"price\":1,\"color\":\"red\"}|unknown field \"color\"",
            "{\"name\":\"x\",\"name\":\"y\",\"price\":1}|name is given more than once",
            "{\"name\":\"a\\u0000b\",\"price\":1}|NUL",
            "{\"name\":\"\\ud800\",\"price\":1}|unpaired surrogate",
            "[1,2]|must be a JSON object",
            "\"text\"|must be a JSON object",
            "{\"name\":\"x\",\"price\":1}{}|not valid JSON",
            "{\"name\":\"x\",\"price\":1|not valid JSON",
            "{'name':'x','price':1}|not valid JSON",
            "{\"name\":\"x\",\"price\":NaN}|not valid JSON",
            "|not valid JSON",
    })
    void rejects(String body, String expected) {
        assertThat(rejection(body == null ? "" : body)).contains(expected);
    }

    @Test
    @DisplayName("a 201-character name is too long; every problem of a body is reported at once")
    void tooLongAndSeveral() {
        assertThat(rejection("{\"name\":\"" + "a".repeat(201) + "\",\"price\":1}")).contains("at most 200 characters");
        assertThat(rejection("{\"name\":\"\",\"price\":-1,\"x\":1}"))
                .contains("name must not be empty").contains("price must be >= 0").contains("unknown field");
    }

    @Test
    @DisplayName("bytes that are not UTF-8 are a 400")
    void notUtf8() {
        Problem problem = catchThrowableOfType(Problem.class,
                () -> ProductJson.read(new byte[] {'{', '"', 'n', (byte) 0xC3, '"', ':', '1', '}'}));
        assertThat(problem.detail()).contains("UTF-8");
    }
}
