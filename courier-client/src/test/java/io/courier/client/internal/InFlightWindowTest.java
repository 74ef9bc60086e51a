package io.courier.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class InFlightWindowTest {
    @Test
    void shouldGiveAtMostMaxPlaces() {
        InFlightWindow window = new InFlightWindow(2);

        assertThat(window.tryAcquire()).isTrue();
        assertThat(window.tryAcquire()).isTrue();
        assertThat(window.tryAcquire()).isFalse();
        assertThat(window.used()).isEqualTo(2);
    }

    @Test
    void shouldWakeAWaiterWhenAPlaceIsGivenBack() throws Exception {
        InFlightWindow window = new InFlightWindow(1);
        window.tryAcquire();
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return window.acquire(TimeUnit.SECONDS.toNanos(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        window.release();

        assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(window.used()).isEqualTo(1);
    }

    @Test
    void shouldGiveUpWhenNoPlaceComesInTime() throws Exception {
        InFlightWindow window = new InFlightWindow(1);
        window.tryAcquire();
        long start = System.nanoTime();

        assertThat(window.acquire(TimeUnit.MILLISECONDS.toNanos(100))).isFalse();

        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(window.used()).isEqualTo(1);
    }

    @Test
    void shouldStopWaitingWhenInterrupted() {
        InFlightWindow window = new InFlightWindow(1);
        window.tryAcquire();
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> window.acquire(TimeUnit.SECONDS.toNanos(5)))
                .isInstanceOf(InterruptedException.class);
        assertThat(window.used()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAMaxBelowOne() {
        assertThatThrownBy(() -> new InFlightWindow(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max must be >= 1");
    }
}
