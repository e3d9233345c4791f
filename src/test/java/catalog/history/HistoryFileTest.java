package catalog.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A history file")
class HistoryFileTest {

    @Test
    @DisplayName("holds the scenario, its staleness, the initial values and every operation in the checker's format")
    void checkerFormat(@TempDir Path dir) throws Exception {
        History history = new History("Leader killed: reads & writes", 250);
        history.initial("7", "initial-1");
        History.Call write = history.invoke(1, "7", History.Op.WRITE, "c1-1");
        history.ok(write);
        History.Call read = history.invoke(2, "8", History.Op.READ, null);
        history.ok(read, null);
        history.failed(history.invoke(3, "7", History.Op.WRITE, "c3-1"));
        history.unknown(history.invoke(4, "7", History.Op.WRITE, "c4-1"));

        Path file = HistoryFile.write(history, dir);

        assertThat(file.getFileName()).hasToString("leader-killed-reads-writes.json");
        JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        assertThat(json.get("scenario").getAsString()).isEqualTo("Leader killed: reads & writes");
        assertThat(json.get("staleness_ms").getAsLong()).isEqualTo(250);
        assertThat(json.getAsJsonObject("initial").get("7").getAsString()).isEqualTo("initial-1");
        JsonArray ops = json.getAsJsonArray("operations");
        assertThat(ops).hasSize(4);
        JsonObject first = ops.get(0).getAsJsonObject();
        assertThat(first.keySet()).containsExactly("client", "key", "op", "value", "call_ns", "return_ns", "outcome");
        assertThat(first.get("op").getAsString()).isEqualTo("write");
        assertThat(first.get("value").getAsString()).as("a write keeps the value it wrote").isEqualTo("c1-1");
        assertThat(first.get("outcome").getAsString()).isEqualTo("ok");
        assertThat(first.get("return_ns").getAsLong()).isGreaterThanOrEqualTo(first.get("call_ns").getAsLong());
        JsonObject absent = ops.get(1).getAsJsonObject();
        assertThat(absent.get("key").getAsString()).isEqualTo("8");
        assertThat(absent.get("value").isJsonNull()).as("a read of no product is null, written out").isTrue();
        assertThat(ops.get(2).getAsJsonObject().get("outcome").getAsString()).isEqualTo("failed");
        JsonObject unknown = ops.get(3).getAsJsonObject();
        assertThat(unknown.get("outcome").getAsString()).isEqualTo("unknown");
        assertThat(unknown.get("return_ns").isJsonNull()).isTrue();
        assertThat(Files.readAllLines(file)).as("one operation a line, for a person").hasSize(6);
    }

    @Test
    @DisplayName("lists operations by call time, whatever order they ended in")
    void byCallTime() {
        History history = new History("order", 0);
        History.Call slow = history.invoke(1, "7", History.Op.READ, null);
        History.Call fast = history.invoke(2, "7", History.Op.READ, null);
        history.ok(fast, "a");
        history.ok(slow, "b");

        assertThat(history.operations()).extracting(History.Operation::client).containsExactly(1, 2);
    }

    @Test
    @DisplayName("a negative staleness is refused")
    void negativeStaleness() {
        assertThatThrownBy(() -> new History("x", -1)).hasMessageContaining("stalenessMillis");
    }
}
