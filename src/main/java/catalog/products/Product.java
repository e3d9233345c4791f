package catalog.products;

import catalog.http.Json;
import java.math.BigDecimal;

/** A stored product. Its JSON form is what clients see under "data" and what the cache holds. */
public record Product(long id, String name, BigDecimal price, int stock) {

    public StringBuilder appendJson(StringBuilder out) {
        out.append("{\"id\":").append(id).append(",\"name\":");
        Json.string(out, name);
        return out.append(",\"price\":").append(price.toPlainString()).append(",\"stock\":").append(stock).append('}');
    }

    public String toJson() {
        return appendJson(new StringBuilder(64 + name.length())).toString();
    }
}
