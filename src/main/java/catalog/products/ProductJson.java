package catalog.products;

import catalog.http.Json;
import catalog.http.Problem;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a product from a request body, strictly: one JSON object with exactly the fields name,
 * price and stock (stock optional, default 0), each of the right JSON type; the values are then
 * checked by {@link ProductRules}. Unknown fields are rejected rather than ignored, so
 * a typo such as "prcie" is a 400 and not a silently missing price. All problems of one body are
 * reported together in the detail.
 */
public final class ProductJson {
    private ProductJson() {}

    public static NewProduct read(byte[] body) {
        String text = utf8(body);
        List<String> problems = new ArrayList<>();
        Fields fields = new Fields();
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                throw Problem.badRequest("the body must be a JSON object with name, price and stock");
            }
            reader.beginObject();
            while (reader.hasNext()) {
                fields.read(reader.nextName(), reader, problems);
            }
            reader.endObject();
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw Problem.badRequest("the body must hold a single JSON object");
            }
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw Problem.badRequest("the body is not valid JSON" + where(e));
        }
        return fields.validate(problems);
    }

    /** Mutable only while one body is read. */
    private static final class Fields {
        private boolean seenName;
        private boolean seenPrice;
        private boolean seenStock;
        private String name;
        private BigDecimal price;
        private BigDecimal stock;

        void read(String field, JsonReader reader, List<String> problems) throws IOException {
            switch (field) {
                case "name" -> {
                    seenName = once(seenName, field, problems);
                    name = reader.peek() == JsonToken.STRING ? reader.nextString() : wrongType(reader, "name must be a string", problems);
                }
                case "price" -> {
                    seenPrice = once(seenPrice, field, problems);
                    price = reader.peek() == JsonToken.NUMBER ? number(reader, "price", problems) : wrongType(reader, "price must be a number", problems);
                }
                case "stock" -> {
                    seenStock = once(seenStock, field, problems);
                    stock = reader.peek() == JsonToken.NUMBER ? number(reader, "stock", problems) : wrongType(reader, "stock must be an integer", problems);
                }
                default -> {
                    reader.skipValue();
                    // Past the problems shown, only counted: no text built for a line nobody will see.
                    problems.add(problems.size() < SHOWN_PROBLEMS
                            ? "unknown field " + Json.quote(shorten(field)) + " (allowed: name, price, stock)" : "unknown field");
                }
            }
        }

        NewProduct validate(List<String> problems) {
            if (!seenName) {
                problems.add("name is required");
            } else if (name != null) {
                ProductRules.checkName(name, problems);
            }
            if (!seenPrice) {
                problems.add("price is required");
            } else if (price != null) {
                ProductRules.checkPrice(price, problems);
            }
            int stockValue = seenStock && stock != null ? ProductRules.checkStock(stock, problems) : 0;
            if (!problems.isEmpty()) {
                throw Problem.badRequest(listed(problems));
            }
            return new NewProduct(name, price.setScale(2, RoundingMode.UNNECESSARY), stockValue);
        }
    }

    private static boolean once(boolean seen, String field, List<String> problems) {
        if (seen) {
            problems.add(field + " is given more than once");
        }
        return true;
    }

    private static BigDecimal number(JsonReader reader, String field, List<String> problems) throws IOException {
        String literal = reader.nextString();
        try {
            return new BigDecimal(literal);
        } catch (NumberFormatException | ArithmeticException e) {
            problems.add(field + " is not a usable number");
            return null;
        }
    }

    private static <T> T wrongType(JsonReader reader, String problem, List<String> problems) throws IOException {
        reader.skipValue();
        problems.add(problem);
        return null;
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw Problem.badRequest("the body is not valid UTF-8");
        }
    }

    // Gson's messages end with a troubleshooting link; keep only the position part.
    private static String where(Exception e) {
        String message = e.getMessage();
        if (message == null) {
            return "";
        }
        int at = message.indexOf(" at line ");
        if (at < 0) {
            return "";
        }
        int end = message.indexOf('\n', at);
        String position = end < 0 ? message.substring(at) : message.substring(at, end);
        int see = position.indexOf(" See ");
        return see < 0 ? position : position.substring(0, see);
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    /** Problems shown in one answer; a body of thousands of bad fields gets a short answer all the same. */
    static final int SHOWN_PROBLEMS = 20;

    /** The first {@link #SHOWN_PROBLEMS} problems, and how many more there were. */
    static String listed(List<String> problems) {
        if (problems.size() <= SHOWN_PROBLEMS) {
            return String.join("; ", problems);
        }
        return String.join("; ", problems.subList(0, SHOWN_PROBLEMS)) + "; and " + (problems.size() - SHOWN_PROBLEMS)
                + " more problems";
    }
}
