package catalog.products;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IdempotencyLockKeyTest {
    @Test
    @DisplayName("keys whose String.hashCode collide (Aa, BB) take different locks")
    void noHashCodeCollision() {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        assertThat(IdempotencyRecords.lockKey("alice", new IdempotencyKey("Aa")))
                .isNotEqualTo(IdempotencyRecords.lockKey("alice", new IdempotencyKey("BB")));
    }

    @Test
    @DisplayName("the same key from two clients takes two locks, and the client/key boundary is unambiguous")
    void scopedByClient() {
        assertThat(IdempotencyRecords.lockKey("alice", new IdempotencyKey("k1")))
                .isNotEqualTo(IdempotencyRecords.lockKey("bob", new IdempotencyKey("k1")));
        assertThat(IdempotencyRecords.lockKey("a", new IdempotencyKey("bc")))
                .isNotEqualTo(IdempotencyRecords.lockKey("ab", new IdempotencyKey("c")));
    }
}
