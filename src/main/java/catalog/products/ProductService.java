package catalog.products;

import catalog.cache.CacheLookup;
import catalog.cache.ProductCache;
import catalog.db.Served;
import java.util.List;
import java.util.Optional;

/**
 * The read and write rules (cache-aside). A read asks the cache first; on a miss it reads the
 * database and fills the cache without waiting for it; when the cache is unavailable it neither
 * waits nor fills. A write goes to the primary, then invalidates the product's cache entry.
 */
public final class ProductService {
    private final ProductRepository repository;
    private final ProductCache cache;

    public ProductService(ProductRepository repository, ProductCache cache) {
        this.repository = repository;
        this.cache = cache;
    }

    public Optional<ProductRead> get(long id) {
        CacheLookup cached = cache.get(id);
        if (cached.status() == CacheLookup.Status.HIT) {
            return Optional.of(new ProductRead(cached.json(), cached.status(), null));
        }
        Served<Optional<Product>> row = repository.findById(id);
        if (row.value().isEmpty()) {
            return Optional.empty();
        }
        String json = row.value().get().toJson();
        if (cached.status() == CacheLookup.Status.MISS) {
            cache.fill(id, json);
        }
        return Optional.of(new ProductRead(json, cached.status(), row.role()));
    }

    public Served<List<Product>> page(long after, int limit) {
        return repository.page(after, limit);
    }

    public Product create(NewProduct product) {
        return repository.insert(product);
    }

    public Optional<Product> replace(long id, NewProduct product) {
        Optional<Product> updated = repository.update(id, product);
        updated.ifPresent(p -> cache.invalidate(id));
        return updated;
    }

    public boolean delete(long id) {
        boolean deleted = repository.delete(id);
        if (deleted) {
            cache.invalidate(id);
        }
        return deleted;
    }
}
