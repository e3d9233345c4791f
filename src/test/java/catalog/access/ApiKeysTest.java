package catalog.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
    @Test
    @DisplayName("the digest is the one sha256sum prints for the key (printf %s \"$key\" | sha256sum)")
    void digestAsSha256sumPrintsIt() {
        assertThat(ApiKeys.digestOf("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    @DisplayName("a client may have several keys (rotation), and upper-case digests (PowerShell's Get-FileHash) work")
    void severalKeys() {
        ApiKeys keys = ApiKeys.parse(List.of("alice:" + ApiKeys.digestOf("old"), "alice:" + ApiKeys.digestOf("new").toUpperCase()));

        assertThat(keys.find("old")).isPresent();
        assertThat(keys.find("new")).isPresent();
        assertThat(keys.find("other")).isEmpty();
    }

    @Test
    @DisplayName("one key given to two clients is refused: a key names one client")
    void sharedKey() {
        assertThatThrownBy(() -> ApiKeys.parse(List.of("a:" + ApiKeys.digestOf("k"), "b:" + ApiKeys.digestOf("k"))))
                .hasMessageContaining("entry 2 (client b) repeats a key");
    }

    @Test
    @DisplayName("printed, the keys show clients' names only")
    void printed() {
        assertThat(ApiKeys.parse(List.of("alice:" + ApiKeys.digestOf("k"))).toString())
                .isEqualTo("ApiKeys[alice]");
    }
}
