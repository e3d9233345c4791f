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
 * price and stock (stock optional, default 0). Unknown fields are rejected rather than ignored, so
 * a typo such as "prcie" is a 400 and not a silently missing price. All problems of one body are
 * reported together in the detail.
 */
public final class ProductJson {
    static final int MAX_NAME_LENGTH = 200;
    static final BigDecimal MAX_PRICE = new BigDecimal("10000000000"); // NUMERIC(12,2): 10 integer digits

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
                    problems.add("unknown field " + Json.quote(shorten(field)) + " (allowed: name, price, stock)");
                }
            }
        }

        NewProduct validate(List<String> problems) {
            if (!seenName) {
                problems.add("name is required");
            } else if (name != null) {
                checkName(name, problems);
            }
            if (!seenPrice) {
                problems.add("price is required");
            } else if (price != null) {
                checkPrice(price, problems);
            }
            int stockValue = seenStock && stock != null ? checkStock(stock, problems) : 0;
            if (!problems.isEmpty()) {
                throw Problem.badRequest(String.join("; ", problems));
            }
            return new NewProduct(name, price.setScale(2, RoundingMode.UNNECESSARY), stockValue);
        }
    }

    private static void checkName(String name, List<String> problems) {
        int length = name.codePointCount(0, name.length());
        if (length < 1 || name.isBlank()) {
            problems.add("name must not be empty or blank");
        } else if (length > MAX_NAME_LENGTH) {
            problems.add("name must be at most " + MAX_NAME_LENGTH + " characters (got " + length + ")");
        }
        // PostgreSQL text cannot hold NUL, and a lone surrogate is not Unicode: neither could be
        // stored and returned verbatim, so both are refused here rather than altered.
        if (name.indexOf('\u0000') >= 0) {
            problems.add("name must not contain the NUL character");
        }
        if (!isWellFormed(name)) {
            problems.add("name must be valid Unicode (it contains an unpaired surrogate)");
        }
    }

    private static void checkPrice(BigDecimal price, List<String> problems) {
        if (price.signum() < 0) {
            problems.add("price must be >= 0");
        } else if (price.compareTo(MAX_PRICE) >= 0) {
            problems.add("price must be less than " + MAX_PRICE.toPlainString());
        }
        if (price.stripTrailingZeros().scale() > 2) {
            problems.add("price must have at most 2 decimals");
        }
    }

    private static int checkStock(BigDecimal stock, List<String> problems) {
        BigDecimal whole = stock.stripTrailingZeros();
        if (whole.scale() > 0) {
            problems.add("stock must be an integer");
            return 0;
        }
        if (stock.signum() < 0 || stock.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            problems.add("stock must be from 0 to " + Integer.MAX_VALUE);
            return 0;
        }
        return stock.intValueExact();
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

    private static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
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
}
