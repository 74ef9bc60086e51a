package io.courier.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SerialDeliveryTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void shouldRunCallsOneAtATimeInOrderOnAPool() throws Exception {
        SerialDelivery delivery = new SerialDelivery("s", pool);
        List<Integer> seen = new ArrayList<>();   // unsynchronized on purpose: calls never overlap
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < 20_000; i++) {
            int n = i;
            delivery.submit(() -> {
                if (running.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                seen.add(n);
                running.decrementAndGet();
                if (n % 5_000 == 0) {
                    throw new IllegalStateException("listener bug " + n);   // logged; the next call goes ahead
                }
            });
        }
        delivery.submit(done::countDown);

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).hasSize(20_000);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i)).isEqualTo(i);
        }
        assertThat(overlaps).hasValue(0);
        assertThat(delivery.queued()).isZero();
    }

    @Test
    void shouldDropQueuedCallsOnceStopped() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        SerialDelivery delivery = new SerialDelivery("s", pool);
        AtomicInteger ran = new AtomicInteger();
        delivery.submit(() -> {
            started.countDown();
            awaitQuietly(release);
        });
        delivery.submit(ran::incrementAndGet);
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(delivery.queued()).isEqualTo(2);

        delivery.stop();
        delivery.submit(ran::incrementAndGet);
        release.countDown();

        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(0);
    }

    @Test
    void shouldSurviveAnExecutorThatRefuses() {
        SerialDelivery delivery = new SerialDelivery("s", task -> {
            throw new RejectedExecutionException("shut down");
        });

        delivery.submit(() -> { });

        assertThat(delivery.queued()).isEqualTo(1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
