package io.courier.cli;

import io.courier.client.Client;
import io.courier.client.ConsumeOptions;
import io.courier.client.QueueConsumer;
import io.courier.client.QueueDelivery;
import io.courier.client.QueueHandler;
import io.courier.core.CourierException;
import io.courier.core.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code courier consume}: takes messages from a durable queue and prints each body on a line of stdout, then acks
 * it (or with {@code --nack} gives it back). The handler (on the client's callback thread, one delivery at a time)
 * prints and settles; the calling thread counts and keeps the time.
 */
@Command(name = "consume", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Take messages from a durable queue and print each body on a line (UTF-8).",
                "Each message is acked once printed, so the broker removes it; with --nack it is given back instead "
                        + "(it stays in the queue, and is dead-lettered after the queue's maxDeliver deliveries).",
                "Runs until --count messages arrived (exit 0), until --timeout (exit 3), or until Ctrl-C."},
        footer = {"", "Examples:",
                "  courier consume --queue jobs",
                "  courier consume --queue jobs --count 10 --timeout 5s",
                "  courier consume --queue jobs --count 1 --nack --show-seq   # peek at one, leave it queued"})
final class ConsumeCommand implements Callable<Integer> {
    /** Without a --timeout, when to say that no broker has answered yet. */
    private static final Duration NOT_YET = Duration.ofSeconds(5);
    private static final int MAX_PREFETCH = 100_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--queue", paramLabel = "QUEUE", required = true, description = "Queue to consume from.")
    private String queue;

    @Mixin
    private BrokerOptions broker;

    @Option(names = "--count", paramLabel = "N", description = "Exit 0 after N messages.")
    private Long count;

    @Option(names = "--timeout", paramLabel = "DUR", converter = Conversions.DurationConverter.class,
            description = "Exit 3 after DUR, like 500ms, 2s, 1m: with --count, when N messages did not all arrive "
                    + "within DUR in total; without it, when no message came for DUR. Default: wait forever.")
    private Duration timeout;

    @Option(names = "--prefetch", paramLabel = "N", defaultValue = "" + ConsumeOptions.DEFAULT_PREFETCH,
            description = "Most messages held unacked at once (default: ${DEFAULT-VALUE}; never more than --count).")
    private long prefetch;

    @Option(names = "--nack", description = "Give each message back to the queue (nack, requeue) instead of acking.")
    private boolean nack;

    @Option(names = "--show-seq", description = "Start each line with the seq and delivery count: 'SEQ N BODY'.")
    private boolean showSeq;

    /** What the handler reports to the command's thread: a printed message, the consumer's end, or NOT_YET. */
    private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private final AtomicLong printed = new AtomicLong();
    private volatile CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean done;

    private record Ended(String reason) {
    }

    private enum Notice { PRINTED, NOT_YET }

    @Override
    public Integer call() throws InterruptedException {
        QueueArguments.checkQueue(spec.commandLine(), "--queue", queue);
        QueueArguments.checkCount(spec.commandLine(), "--count", count, Long.MAX_VALUE);
        QueueArguments.checkCount(spec.commandLine(), "--prefetch", prefetch, MAX_PREFETCH);
        int credit = (int) (count == null ? prefetch : Math.min(prefetch, count));
        done = false;
        closed = new CountDownLatch(1);
        items.clear();
        printed.set(0);
        try (Client client = Client.connect(broker.clientConfig("consume"))) {
            QueueConsumer consumer = client.consume(queue, new ConsumeOptions(credit), new Printer());
            try {
                if (timeout == null) {
                    CompletableFuture.delayedExecutor(NOT_YET.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                        if (!consumer.consuming().isDone()) {
                            items.offer(Notice.NOT_YET);
                        }
                    });
                }
                return await(client, consumer);
            } finally {
                done = true;
                consumer.close();
                closed.countDown();
            }
        }
    }

    /** Waits for --count, --timeout or the consumer's end; returns the exit code. */
    private int await(Client client, QueueConsumer consumer) throws InterruptedException {
        long started = System.nanoTime();
        long last = started;
        while (true) {
            Object item;
            if (timeout == null) {
                item = items.take();
            } else {
                long deadline = (count != null ? started : last) + timeout.toNanos();
                item = items.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            if (item == null) {
                return timedOut(client, consumer);
            }
            if (item == Notice.PRINTED) {
                last = System.nanoTime();
                if (count != null && printed.get() >= count) {
                    return ExitCodes.OK;
                }
            } else if (item instanceof Ended ended) {
                return ended(consumer, ended.reason());
            } else if (item == Notice.NOT_YET && !client.isConnected()) {
                error("no broker answers at " + broker.shown() + " yet; still trying (Ctrl-C to stop)");
            }
        }
    }

    private int timedOut(Client client, QueueConsumer consumer) {
        String within = Durations.format(timeout);
        long got = printed.get();
        if (!consumer.consuming().isDone()) {
            error(client.isConnected() ? "the broker did not take the consumer within " + within + " (timeout)"
                    : "no broker answers at " + broker.shown() + " within " + within + " (timeout)");
        } else if (count != null) {
            error("got " + got + " of " + count + (count == 1 ? " message" : " messages") + " within " + within
                    + " (timeout)");
        } else {
            error("no message for " + within + " (timeout)");
        }
        return ExitCodes.NO_REPLY;
    }

    /** The broker ended the consumer: refused before it took it (its reason's exit code), or later (1). */
    private int ended(QueueConsumer consumer, String reason) {
        try {
            consumer.consuming().getNow(null);
        } catch (CompletionException e) {
            Throwable failure = Errors.unwrap(e);
            error(Errors.describe(failure));
            return failure instanceof CourierException c ? ExitCodes.of(c.reason()) : ExitCodes.ERROR;
        }
        error("the broker ended the consumer of '" + queue + "': " + reason);
        return ExitCodes.ERROR;
    }

    private void error(String line) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(Errors.PREFIX + line);
        err.flush();
    }

    /** Prints and settles each delivery, one at a time; past --count, or once done, gives them back unprinted. */
    private final class Printer implements QueueHandler {
        @Override
        public void onDelivery(QueueDelivery delivery) throws InterruptedException {
            if (done || count != null && printed.get() >= count) {
                // One too many: leave it unsettled until the consumer is closed, so that the automatic ack is
                // dropped and CANCEL puts it back without counting another delivery.
                if (!closed.await(10, TimeUnit.SECONDS)) {
                    delivery.nack();
                }
                return;
            }
            PrintWriter out = spec.commandLine().getOut();
            if (showSeq) {
                out.print(delivery.seq() + " " + delivery.deliveries() + " ");
            }
            String text = delivery.bodyAsString();
            out.print(text);
            if (!text.endsWith("\n")) {
                out.println();
            }
            out.flush();
            if (nack) {
                delivery.nack();
            } else {
                delivery.ack();
            }
            printed.incrementAndGet();
            items.offer(Notice.PRINTED);
        }

        @Override
        public void onCancelled(String reason) {
            items.offer(new Ended(reason));
        }
    }
}
