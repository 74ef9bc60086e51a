package io.courier.cli;

import io.courier.client.Client;
import io.courier.client.ConsumeOptions;
import io.courier.client.QueueConsumer;
import io.courier.client.QueueDelivery;
import io.courier.client.QueueHandler;
import java.io.PrintWriter;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
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
    private static final int MAX_PREFETCH = 100_000;
    /** What the handler puts in the queue for each message it printed. */
    private static final Object PRINTED = new Object();

    @Spec
    private CommandSpec spec;

    @Option(names = "--queue", paramLabel = "QUEUE", required = true, description = "Queue to consume from.")
    private String queue;

    @Mixin
    private BrokerOptions broker;

    @Mixin
    private ReceiveLimits limits;

    @Option(names = "--prefetch", paramLabel = "N", defaultValue = "" + ConsumeOptions.DEFAULT_PREFETCH,
            description = "Most messages held unacked at once (default: ${DEFAULT-VALUE}; never more than --count).")
    private long prefetch;

    @Option(names = "--nack", description = "Give each message back to the queue (nack, requeue) instead of acking.")
    private boolean nack;

    @Option(names = "--show-seq", description = "Start each line with the seq and delivery count: 'SEQ N BODY'.")
    private boolean showSeq;

    /** What the handler reports to the command's thread: {@link #PRINTED}, or the consumer's end. */
    private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private final AtomicLong printed = new AtomicLong();
    private volatile CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean done;

    @Override
    public Integer call() throws InterruptedException {
        Long count = limits.count();
        Arguments.checkName(spec.commandLine(), "--queue", queue);
        Arguments.checkCount(spec.commandLine(), "--count", count, Long.MAX_VALUE);
        Arguments.checkCount(spec.commandLine(), "--prefetch", prefetch, MAX_PREFETCH);
        int credit = (int) (count == null ? prefetch : Math.min(prefetch, count));
        done = false;
        closed = new CountDownLatch(1);
        items.clear();
        printed.set(0);
        try (Client client = Client.connect(broker.clientConfig("consume"))) {
            QueueConsumer consumer = client.consume(queue, new ConsumeOptions(credit), new Printer());
            try {
                return new ReceiveLoop(spec.commandLine(), limits, broker, "consumer", "consumer of '" + queue + "'")
                        .run(client::isConnected, consumer.consuming(), items, item -> item == PRINTED);
            } finally {
                done = true;
                consumer.close();
                closed.countDown();
            }
        }
    }

    /** Prints and settles each delivery, one at a time; past --count, or once done, gives them back unprinted. */
    private final class Printer implements QueueHandler {
        @Override
        public void onDelivery(QueueDelivery delivery) throws InterruptedException {
            if (done || limits.reached(printed.get())) {
                // One too many: leave it unsettled until the consumer is closed, so that the automatic ack is
                // dropped and CANCEL puts it back without counting another delivery.
                if (!closed.await(10, TimeUnit.SECONDS)) {
                    delivery.nack();
                }
                return;
            }
            PrintWriter out = spec.commandLine().getOut();
            MessageLines.print(out, showSeq ? delivery.seq() + " " + delivery.deliveries() + " " : "",
                    delivery.bodyAsString());
            out.flush();
            if (nack) {
                delivery.nack();
            } else {
                delivery.ack();
            }
            printed.incrementAndGet();
            items.offer(PRINTED);
        }

        @Override
        public void onCancelled(String reason) {
            items.offer(new ReceiveLoop.Ended(reason));
        }
    }
}
