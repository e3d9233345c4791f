package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.cache.PendingInvalidations.Replay;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PendingInvalidationsTest {
    private final PendingInvalidations pending = new PendingInvalidations(3);

    @Test
    @DisplayName("remembered ids are replayed once and then forgotten")
    void replayOnce() {
        pending.remember(1);
        pending.remember(2);
        pending.remember(1);
        Replay replay = pending.snapshot();
        assertThat(replay.ids()).containsExactlyInAnyOrder(1L, 2L);
        assertThat(replay.dropAll()).isFalse();
        pending.replayed(replay);
        assertNothingPending();
    }

    @Test
    @DisplayName("an id remembered while a replay runs stays pending")
    void rememberedDuringReplay() {
        pending.remember(1);
        Replay replay = pending.snapshot();
        pending.remember(2);
        pending.replayed(replay);
        assertThat(pending.snapshot().ids()).containsExactly(2L);
    }

    @Test
    @DisplayName("past the bound the ids collapse into dropping every product key")
    void overflowDropsAll() {
        rememberOneIdPastTheBound();
        Replay replay = pending.snapshot();
        assertThat(replay.dropAll()).isTrue();
        assertThat(replay.ids()).isEmpty();
        assertThat(pending.size()).isZero();
        pending.replayed(replay);
        assertNothingPending();
    }

    @Test
    @DisplayName("a drop-all replay overtaken by a new invalidation must run again")
    void dropAllOvertaken() {
        rememberOneIdPastTheBound();
        Replay replay = pending.snapshot();
        pending.remember(9);
        pending.replayed(replay);
        assertThat(pending.dropsAll()).isTrue();
        assertThat(pending.isEmpty()).isFalse();
    }

    @Test
    @DisplayName("an empty set has nothing to replay")
    void emptyReplay() {
        assertNothingPending();
        assertThat(pending.snapshot().isEmpty()).isTrue();
    }

    /** Four ids remembered under a bound of three. */
    private void rememberOneIdPastTheBound() {
        for (long id = 1; id <= 4; id++) {
            pending.remember(id);
        }
    }

    private void assertNothingPending() {
        assertThat(pending.isEmpty()).as("nothing pending").isTrue();
    }
}
