package catalog.products;

import catalog.cache.CacheLookup;
import catalog.cache.ProductCache;
import catalog.cache.SingleFlight;
import catalog.db.Served;
import java.util.List;
import java.util.Optional;

/**
 * The read and write rules (cache-aside). A read asks the cache first; on a miss it reads the
 * database (one read per product at a time, shared by concurrent misses) and fills the cache
 * without waiting for it, under the lease its miss took; when the cache is unavailable it neither
 * waits nor fills. A write goes to the primary, then detaches any read in flight for the product
 * and invalidates its cache entry, in that order, so no read that began before the write can put
 * the old row back.
 */
public final class ProductService {
    private final ProductRepository repository;
    private final ProductCache cache;
    private final SingleFlight<Long, Served<Optional<Product>>> reads = new SingleFlight<>();
    private final MissingProducts missing;

    public ProductService(ProductRepository repository, ProductCache cache) {
        this.repository = repository;
        this.cache = cache;
        this.missing = new MissingProducts(repository::highestId, System::nanoTime);
    }

    public Optional<ProductRead> get(long id) {
        if (missing.known(id)) {
            return Optional.empty();
        }
        long creations = missing.creations();
        CacheLookup cached = cache.get(id);
        long leasedAt = System.nanoTime();
        if (cached.status() == CacheLookup.Status.HIT) {
            return Optional.of(new ProductRead(cached.json(), cached.status(), null));
        }
        SingleFlight.Loaded<Served<Optional<Product>>> loaded =
                reads.load(id, () -> repository.findById(id, cached.writtenAt()));
        Served<Optional<Product>> row = loaded.value();
        if (row.value().isEmpty()) {
            missing.missing(id, creations);
            return Optional.empty();
        }
        String json = row.value().get().toJson();
        // A lease protects a fill only if it was taken before the read began. A request that joined a
        // read already running may hold a lease younger than that read: if another instance wrote in
        // between, the lease (taken after that write's invalidation) is valid but the read is old.
        if (leasedAt <= loaded.startedAt()) {
            cache.fill(id, cached, json);
        }
        return Optional.of(new ProductRead(json, cached.status(), row.role()));
    }

    public Served<List<Product>> page(long after, int limit) {
        return repository.page(after, limit);
    }

    public Product create(NewProduct product) {
        Product created = repository.insert(product);
        written(created.id()); // nothing cached yet, but the marker tells other instances about the insert
        return created;
    }

    /**
     * A create that a retry with the same key from the same client cannot repeat; only a new product
     * is a write. Keys are the client's own: another client's identical key is another key.
     */
    public KeyedCreation create(NewProduct product, IdempotencyKey key, String client) {
        KeyedCreation outcome = repository.insertOnce(client, key, product);
        if (outcome instanceof KeyedCreation.Created created) {
            written(created.product().id());
        }
        return outcome;
    }

    public Optional<Product> replace(long id, NewProduct product) {
        Optional<Product> updated = repository.update(id, product);
        updated.ifPresent(p -> written(id));
        return updated;
    }

    public boolean delete(long id) {
        boolean deleted = repository.delete(id);
        if (deleted) {
            written(id);
        }
        return deleted;
    }

    private void written(long id) {
        missing.created(id);
        reads.forget(id);
        cache.invalidate(id, repository.lastWrite(id));
    }
}
