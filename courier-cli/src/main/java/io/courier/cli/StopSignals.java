package io.courier.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT (Ctrl-C) into an ordinary stop, so a long-running command closes what it runs and
 * returns exit code 0 instead of the JVM's 143 or 130. A second signal while stopping halts the JVM at once with
 * the shell's code for that signal: 143 for TERM, 130 for INT; one within {@link #REPEAT_WINDOW} of the first is
 * taken as the same request sent twice. A shutdown hook closes the command's resource on any other way out of the
 * JVM.
 *
 * <p>Where a signal cannot be routed (see {@link SignalHandlers}), the shutdown hook still closes cleanly, only
 * with the JVM's exit code. {@link #close()} puts the previous handlers back. The handler runs on the JVM's signal
 * thread and only calls {@code onStop}, which must be quick (count down a latch).
 */
final class StopSignals implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    /** The signals handled, with the exit code of a second one: 128 plus the signal number, as shells report. */
    private static final Map<String, Integer> SIGNALS = Map.of("TERM", 143, "INT", 130);
    /** A signal this soon after the first is the same request delivered twice, not a second one. */
    static final Duration REPEAT_WINDOW = Duration.ofMillis(500);
    private static final long REPEAT_NANOS = REPEAT_WINDOW.toNanos();
    private static final long NOT_YET = Long.MIN_VALUE;

    private final List<Runnable> restores = new ArrayList<>();
    private final Thread hook;

    private StopSignals(Thread hook) {
        this.hook = hook;
    }

    /**
     * Routes TERM and INT to {@code onStop} until {@link #close()}, and runs {@code onShutdown} (an idempotent,
     * bounded close) in a shutdown hook if the JVM exits some other way first.
     */
    static StopSignals install(Runnable onStop, Runnable onShutdown) {
        StopSignals signals = new StopSignals(new Thread(onShutdown, "courier-shutdown"));
        Runtime.getRuntime().addShutdownHook(signals.hook);
        AtomicLong firstNanos = new AtomicLong(NOT_YET);
        SIGNALS.forEach((name, haltCode) -> SignalHandlers.handle(name, () -> {
            long now = System.nanoTime();
            if (firstNanos.compareAndSet(NOT_YET, now)) {
                LOG.info("stop requested signal=SIG{}", name);
                onStop.run();
            } else if (now - firstNanos.get() < REPEAT_NANOS) {
                // the same stop sent twice (timeout(1) and some supervisors signal the process and its group)
                LOG.debug("stop signal repeated at once, ignored signal=SIG{}", name);
            } else {
                LOG.warn("second stop signal, exiting at once signal=SIG{} exitCode={}", name, haltCode);
                Runtime.getRuntime().halt(haltCode);   // the user insists: no drain, no hooks
            }
        }).ifPresent(signals.restores::add));
        return signals;
    }

    /** Puts the previous signal handlers back and removes the shutdown hook. Call it after closing. */
    @Override
    public void close() {
        restores.forEach(Runnable::run);
        restores.clear();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs, and the close it calls is idempotent
        }
    }
}
