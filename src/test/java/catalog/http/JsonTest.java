package catalog.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    @DisplayName("any string survives a round trip through the escaper and a JSON parser")
    void roundTrip() {
        String nasty = "quote \" backslash \\ newline \n tab \t nul \u0000 bell \u0007 sep \u2028 emoji \uD83D\uDE00 é '; DROP TABLE products; --";

        String quoted = Json.quote(nasty);

        assertThat(JsonParser.parseString(quoted).getAsString()).isEqualTo(nasty);
        assertThat(quoted).doesNotContain("\n").doesNotContain("\u2028");
    }

    @Test
    @DisplayName("a problem document carries status, title, detail and instance")
    void problemDocument() {
        Reply reply = Problem.badRequest("price must be >= 0").toReply("/products");

        var json = JsonParser.parseString(new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8)).getAsJsonObject();
        assertThat(reply.status()).isEqualTo(400);
        assertThat(json.get("status").getAsInt()).isEqualTo(400);
        assertThat(json.get("title").getAsString()).isEqualTo("Bad Request");
        assertThat(json.get("detail").getAsString()).isEqualTo("price must be >= 0");
        assertThat(json.get("instance").getAsString()).isEqualTo("/products");
    }
}
