package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RESP2 as the invalidation feed reads it")
class RespTest {
    private static final String INVALIDATION =
            "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$9\r\nproduct:7\r\n";

    @Test
    @DisplayName("an invalidation message is an array of the channel's name and the keys")
    void invalidationMessage() {
        assertThat(Resp.read(bytes(INVALIDATION)))
                .isEqualTo(List.of("message", "__redis__:invalidate", List.of("product:7")));
    }

    @Test
    @DisplayName("a flush is a message whose keys are null")
    void flush() {
        List<?> message = (List<?>) Resp.read(bytes("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n"));
        assertThat(message.get(2)).isSameAs(Resp.NULL);
        assertThat(Resp.read(bytes("*-1\r\n"))).isSameAs(Resp.NULL);
    }

    @Test
    @DisplayName("a message cut anywhere is not read, and the buffer stays where it was")
    void cutAnywhere() {
        for (int cut = 0; cut < INVALIDATION.length(); cut++) {
            ByteBuffer partial = bytes(INVALIDATION.substring(0, cut));
            assertThat(Resp.read(partial)).as("cut at %d", cut).isNull();
            assertThat(partial.position()).isZero();
        }
    }

    @Test
    @DisplayName("two messages in one read come out one after the other")
    void twoInOneRead() {
        ByteBuffer in = bytes(INVALIDATION + "*2\r\n$4\r\npong\r\n$0\r\n\r\n");
        assertThat(Resp.read(in)).isInstanceOf(List.class);
        assertThat(Resp.read(in)).isEqualTo(List.of("pong", ""));
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    @DisplayName("simple strings, errors and integers")
    void scalars() {
        assertThat(Resp.read(bytes("+OK\r\n"))).isEqualTo("OK");
        assertThat(Resp.read(bytes("-ERR no such client\r\n"))).isEqualTo(new Resp.Error("ERR no such client"));
        assertThat(Resp.read(bytes(":42\r\n"))).isEqualTo(42L);
    }

    @Test
    @DisplayName("bytes that are not RESP2 are refused")
    void notResp() {
        assertThatThrownBy(() -> Resp.read(bytes("HTTP/1.1 400\r\n"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("a command is an array of bulk strings")
    void command() {
        ByteBuffer out = Resp.command("SUBSCRIBE", "__redis__:invalidate");
        assertThat(StandardCharsets.UTF_8.decode(out).toString())
                .isEqualTo("*2\r\n$9\r\nSUBSCRIBE\r\n$20\r\n__redis__:invalidate\r\n");
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
