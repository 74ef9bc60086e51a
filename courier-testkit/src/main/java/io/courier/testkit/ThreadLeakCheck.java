package io.courier.testkit;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Catches threads a test leaves behind. {@link #snapshot()} remembers the watched threads alive now; later,
 * {@link #assertNoNewThreads(Duration)} waits (bounded) until every watched thread started since has ended.
 *
 * <p>Watched by default: threads named {@code courier-*}, except the shared callback pool
 * ({@code courier-callback-*}), whose daemon threads live as long as the JVM by design. Threads are compared by
 * identity, so a new thread reusing an old name still counts. Immutable after construction; thread-safe.
 */
public final class ThreadLeakCheck {
    /** Courier's own threads, less the shared callback pool. */
    public static final Predicate<String> COURIER = name -> name.startsWith("courier-")
            && !name.startsWith("courier-callback");
    /** Courier's threads plus JeroMQ's default-named ones ({@code reaper-N}, {@code iothread-N}). */
    public static final Predicate<String> COURIER_AND_ZEROMQ = COURIER
            .or(name -> name.startsWith("reaper-") || name.startsWith("iothread-"));

    private final Predicate<String> watched;
    private final Set<Thread> before;

    private ThreadLeakCheck(Predicate<String> watched) {
        this.watched = watched;
        this.before = Collections.unmodifiableSet(live(watched));
    }

    /** Remembers the {@link #COURIER} threads alive now. */
    public static ThreadLeakCheck snapshot() {
        return new ThreadLeakCheck(COURIER);
    }

    /** Remembers the live threads whose names {@code watched} accepts. */
    public static ThreadLeakCheck snapshot(Predicate<String> watched) {
        return new ThreadLeakCheck(watched);
    }

    /** Names of the watched threads alive now that were not alive at the snapshot, sorted. */
    public List<String> newThreads() {
        Set<Thread> now = live(watched);
        now.removeAll(before);
        return now.stream().map(Thread::getName).sorted().collect(Collectors.toList());
    }

    /**
     * Waits up to {@code within} for every watched thread started since the snapshot to end.
     *
     * @throws AssertionError naming the threads still alive at the end
     */
    public void assertNoNewThreads(Duration within) {
        try {
            Awaitility.await("courier threads to end").atMost(within).pollInSameThread()
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> newThreads().isEmpty());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("threads left running " + within.toMillis() + "ms after close: "
                    + newThreads(), e);
        }
    }

    private static Set<Thread> live(Predicate<String> watched) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> watched.test(t.getName()))
                .collect(Collectors.toSet());
    }
}
