package io.courier.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.courier.core.CourierException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Shared settings and checks for the client and worker tests. */
final class TestSupport {
    private TestSupport() {
    }

    /** Short heartbeats (100ms, liveness 3) and reconnects (20ms to 200ms) keep the tests fast. */
    static ClientConfig fastConfig(String... endpoints) {
        return ClientConfig.of(endpoints)
                .withName("test")
                .withHeartbeat(Duration.ofMillis(100), 3)
                .withReconnect(Duration.ofMillis(20), Duration.ofMillis(200))
                .withDefaults(RequestOptions.of(Duration.ofSeconds(5), 0));
    }

    /** The CourierException a future failed with, waiting up to 5 seconds for it. */
    static CourierException failureOf(CompletableFuture<?> future) {
        Throwable thrown = catchThrowable(() -> future.get(5, TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(CourierException.class);
        return (CourierException) thrown.getCause();
    }

    /**
     * Live threads, JeroMQ's included, except those allowed to outlive a close: the shared callback pool (daemon,
     * by design) and the JDK's and Awaitility's pools that the tests themselves use.
     */
    static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> !t.getName().startsWith("courier-callback-"))
                .filter(t -> !t.getName().startsWith("ForkJoinPool") && !t.getName().startsWith("awaitility"))
                .collect(Collectors.toSet());
    }

    /** Fails, naming them, if threads were started since {@code before} and are still alive. */
    static void assertNoThreadsLeftSince(Set<Thread> before) {
        Set<Thread> now = liveThreads();
        now.removeAll(before);
        assertThat(now).extracting(Thread::getName).isEmpty();
    }
}
