package catalog.products;

import java.math.BigDecimal;

/**
 * A product as a client sends it (POST creates one, PUT replaces one), already validated by
 * {@link ProductJson}: name of 1-200 characters, price >= 0 with at most 2 decimals, stock >= 0.
 */
public record NewProduct(String name, BigDecimal price, int stock) {}
