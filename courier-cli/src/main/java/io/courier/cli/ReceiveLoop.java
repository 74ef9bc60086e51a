package io.courier.cli;

import io.courier.core.CourierException;
import io.courier.core.Durations;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;

/**
 * The wait that consume and subscribe share, on the command's thread: takes what the client's callbacks put in
 * the command's queue until {@code --count} messages arrived (exit 0), until {@code --timeout} (exit 3), or until the
 * broker ends the consumer or subscription (exit 1, or the exit code of its refusal), and says why on stderr.
 * Without {@code --timeout}, it says after {@link #NOT_YET} when no broker answers yet. One command thread.
 */
final class ReceiveLoop {
    /** Without a --timeout, when to say that no broker has answered yet. */
    static final Duration NOT_YET = Duration.ofSeconds(5);

    /** Put in the queue when the broker ends the consumer or subscription without the command closing it. */
    record Ended(String reason) {
    }

    private enum Notice { NOT_YET }

    /** The command's side of the loop. */
    interface Receiver {
        /** Handles an item of the command's own; true when it was a message, which counts towards --count. */
        boolean handle(Object item);

        /** Asked when the queue is empty: true when stdout is gone, which ends the loop with exit 1. */
        default boolean stdoutGone() {
            return false;
        }

        /** Called before the loop returns an exit code. */
        default void flush() {
        }
    }

    private final CommandLine cmd;
    private final ReceiveLimits limits;
    private final BrokerOptions broker;
    private final String noun;
    private final String described;

    /**
     * @param noun      what the broker takes, for messages: {@code consumer} or {@code subscription}
     * @param described the same with what it is of, like {@code consumer of 'jobs'}
     */
    ReceiveLoop(CommandLine cmd, ReceiveLimits limits, BrokerOptions broker, String noun, String described) {
        this.cmd = cmd;
        this.limits = limits;
        this.broker = broker;
        this.noun = noun;
        this.described = described;
    }

    /**
     * Waits until done and returns the exit code. {@code connected} tells whether the client is connected (as
     * {@code Client::isConnected}); {@code taken} completes once the broker has taken the consumer or subscription,
     * or fails with its refusal; {@code items} gets the command's items and {@link Ended}.
     */
    int run(BooleanSupplier connected, CompletableFuture<?> taken, BlockingQueue<Object> items, Receiver receiver)
            throws InterruptedException {
        Duration timeout = limits.timeout();
        if (timeout == null) {
            CompletableFuture.delayedExecutor(NOT_YET.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                if (!taken.isDone()) {
                    items.offer(Notice.NOT_YET);
                }
            });
        }
        long started = System.nanoTime();
        long last = started;
        long received = 0;
        while (true) {
            Object item;
            if (timeout == null) {
                item = items.take();
            } else {
                long deadline = (limits.count() != null ? started : last) + timeout.toNanos();
                item = items.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            if (item == null) {
                receiver.flush();
                return timedOut(connected, taken, received);
            }
            if (item instanceof Ended ended) {
                receiver.flush();
                return ended(taken, ended.reason());
            }
            if (item == Notice.NOT_YET) {
                if (!connected.getAsBoolean()) {
                    Errors.print(cmd, "no broker answers at " + broker.shown()
                            + " yet; still trying (Ctrl-C to stop)");
                }
            } else if (receiver.handle(item)) {
                received++;
                last = System.nanoTime();
                if (limits.reached(received)) {
                    receiver.flush();
                    return ExitCodes.OK;
                }
            }
            if (items.isEmpty() && receiver.stdoutGone()) {
                return ExitCodes.ERROR;
            }
        }
    }

    private int timedOut(BooleanSupplier connected, CompletableFuture<?> taken, long received) {
        String within = Durations.format(limits.timeout());
        Long count = limits.count();
        if (!taken.isDone()) {
            Errors.print(cmd, connected.getAsBoolean()
                    ? "the broker did not take the " + noun + " within " + within + " (timeout)"
                    : "no broker answers at " + broker.shown() + " within " + within + " (timeout)");
        } else if (count != null) {
            Errors.print(cmd, "got " + received + " of " + count + (count == 1 ? " message" : " messages")
                    + " within " + within + " (timeout)");
        } else {
            Errors.print(cmd, "no message for " + within + " (timeout)");
        }
        return ExitCodes.NO_REPLY;
    }

    /** The broker ended it: refused before it took it (its reason's exit code), or later (1). */
    private int ended(CompletableFuture<?> taken, String reason) {
        try {
            taken.getNow(null);
        } catch (CompletionException e) {
            Throwable failure = Errors.unwrap(e);
            Errors.print(cmd, Errors.describe(failure));
            return failure instanceof CourierException c ? ExitCodes.of(c.reason()) : ExitCodes.ERROR;
        }
        Errors.print(cmd, "the broker ended the " + described + ": " + reason);
        return ExitCodes.ERROR;
    }
}
