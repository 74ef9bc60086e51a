package io.courier.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmptyWakesTest {
    @Test
    void shouldCountOnlyPassesWokenEarlyThatFoundNothingToDo() {
        EmptyWakes wakes = new EmptyWakes();

        wakes.afterPass(true, false);    // woken, nothing to do: yields
        wakes.afterPass(true, true);     // woken with work
        wakes.afterPass(false, false);   // a timeout or a pass that did not sleep
        wakes.afterPass(false, true);
        wakes.afterPass(true, false);

        assertThat(wakes.count()).isEqualTo(2);
    }
}
