package io.courier.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ThreadLeakCheckTest {

    @Test
    void shouldReportCourierThreadStartedAfterSnapshotUntilItEnds() throws Exception {
        ThreadLeakCheck check = ThreadLeakCheck.snapshot();
        CountDownLatch release = new CountDownLatch(1);
        Thread thread = new Thread(() -> awaitQuietly(release), "courier-test-leak");
        thread.start();
        try {
            assertThat(check.newThreads()).containsExactly("courier-test-leak");
            Throwable failure = catchThrowable(() -> check.assertNoNewThreads(Duration.ofMillis(100)));
            assertThat(failure).isInstanceOf(AssertionError.class).hasMessageContaining("courier-test-leak");
        } finally {
            release.countDown();
        }

        check.assertNoNewThreads(Duration.ofSeconds(2));
        thread.join(1_000);
    }

    @Test
    void shouldIgnoreCallbackPoolAndOtherThreads() throws Exception {
        ThreadLeakCheck check = ThreadLeakCheck.snapshot();
        CountDownLatch release = new CountDownLatch(1);
        Thread callback = new Thread(() -> awaitQuietly(release), "courier-callback-99");
        Thread other = new Thread(() -> awaitQuietly(release), "pool-7-thread-1");
        callback.start();
        other.start();
        try {
            assertThat(check.newThreads()).isEmpty();
            assertThat(ThreadLeakCheck.COURIER_AND_ZEROMQ.test("reaper-3")).isTrue();
            assertThat(ThreadLeakCheck.COURIER.test("reaper-3")).isFalse();
        } finally {
            release.countDown();
            callback.join(1_000);
            other.join(1_000);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
