package io.courier.broker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DedupIndexTest {
    private static final long WINDOW = 1_000;
    private static final int MAX_IDS = 1_000;
    private static final long T0 = 1_700_000_000_000L;

    private final DedupIndex index = new DedupIndex();

    @Test
    void shouldFindADuplicateWithinTheWindowAndTheBound() {
        index.add("p-1", 7, T0, MAX_IDS);
        index.add("p-2", 8, T0 + 10, MAX_IDS);

        assertThat(index.find("p-1", T0 + WINDOW - 1, WINDOW)).isEqualTo(7);
        assertThat(index.find("p-2", T0 + WINDOW - 1, WINDOW)).isEqualTo(8);
        assertThat(index.find("p-3", T0 + WINDOW - 1, WINDOW)).isZero();
        assertThat(index.evicted()).isZero();
    }

    @Test
    void shouldForgetIdsWhenTheirWindowEndsOldestFirst() {
        index.add("p-1", 1, T0, MAX_IDS);
        index.add("p-2", 2, T0 + 500, MAX_IDS);

        assertThat(index.find("p-1", T0 + WINDOW, WINDOW)).isZero();
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.find("p-2", T0 + WINDOW, WINDOW)).isEqualTo(2);

        index.evict(T0 + 500 + WINDOW, WINDOW);
        assertThat(index.size()).isZero();
        assertThat(index.evicted()).as("window ends are not early evictions").isZero();
    }

    @Test
    void shouldForgetTheOldestIdsEarlyWhenFullAndCountThem() {
        for (int i = 1; i <= 5; i++) {
            index.add("p-" + i, i, T0 + i, 3);
        }

        assertThat(index.size()).isEqualTo(3);
        assertThat(index.evicted()).isEqualTo(2);
        assertThat(index.find("p-1", T0 + 10, WINDOW)).isZero();
        assertThat(index.find("p-2", T0 + 10, WINDOW)).isZero();
        assertThat(index.find("p-3", T0 + 10, WINDOW)).isEqualTo(3);
        assertThat(index.find("p-5", T0 + 10, WINDOW)).isEqualTo(5);
    }

    @Test
    void shouldMoveAnIdAddedAgainToTheEnd() {
        index.add("p-1", 1, T0, 3);
        index.add("p-2", 2, T0 + 1, 3);
        index.add("p-3", 3, T0 + 2, 3);

        index.add("p-1", 4, T0 + 3, 3);   // now the newest: p-2 is the oldest
        index.add("p-4", 5, T0 + 4, 3);

        assertThat(index.find("p-2", T0 + 5, WINDOW)).isZero();
        assertThat(index.find("p-1", T0 + 5, WINDOW)).isEqualTo(4);
        assertThat(index.find("p-3", T0 + 5, WINDOW)).isEqualTo(3);
        assertThat(index.evicted()).isEqualTo(1);
    }

    @Test
    void shouldKeepForgettingByWindowAfterTheOldestMovedOrWasEvictedEarly() {
        index.add("p-1", 1, T0, 2);
        index.add("p-2", 2, T0 + 100, 2);
        index.add("p-3", 3, T0 + 200, 2);   // p-1 evicted early: p-2 is now the oldest

        assertThat(index.find("p-2", T0 + 100 + WINDOW, WINDOW)).isZero();
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.find("p-3", T0 + 100 + WINDOW, WINDOW)).isEqualTo(3);
    }

    @Test
    void shouldTrimToALowerBound() {
        for (int i = 1; i <= 10; i++) {
            index.add("p-" + i, i, T0, MAX_IDS);
        }

        index.trim(4);

        assertThat(index.size()).isEqualTo(4);
        assertThat(index.evicted()).isEqualTo(6);
        assertThat(index.find("p-6", T0, WINDOW)).isZero();
        assertThat(index.find("p-7", T0, WINDOW)).isEqualTo(7);
    }

    @Test
    void shouldForgetEverythingWhenTheWindowIsTurnedOff() {
        index.add("p-1", 1, T0, MAX_IDS);
        index.add("p-2", 2, T0, MAX_IDS);

        index.evict(T0, 0);

        assertThat(index.size()).isZero();
        assertThat(index.evicted()).isZero();
    }
}
