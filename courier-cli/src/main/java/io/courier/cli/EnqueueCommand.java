package io.courier.cli;

import io.courier.client.Client;
import io.courier.client.EnqueueOptions;
import io.courier.client.EnqueueReceipt;
import io.courier.core.CourierException;
import io.courier.core.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code courier enqueue}: stores one message in a durable queue and waits until the broker confirms it is on disk;
 * with {@code -}, one message per stdin line, up to {@link ConfirmedSender#WINDOW} awaiting confirmation at once.
 * Runs on the calling thread.
 */
@Command(name = "enqueue", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Put a message in a durable queue and wait until the broker confirms it is stored.",
                "With - every line of stdin is a message; the exit code is 0 only once every line is confirmed.",
                "A message resent after a lost connection keeps its id, so the broker never stores it twice.",
                "Exit 3 when no confirmation comes in time, 4 when refused, 1 for other errors (such as a full "
                        + "queue)."},
        footer = {"", "Examples:",
                "  courier enqueue --queue jobs '{\"resize\":\"cat.png\"}'",
                "  courier enqueue --queue jobs --id order-42 --ttl 10m 'ship order 42'",
                "  cat jobs.txt | courier enqueue --queue jobs --show-seq -"})
final class EnqueueCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--queue", paramLabel = "QUEUE", required = true,
            description = "Queue to put the message in: 1 to 255 bytes of UTF-8, like jobs.")
    private String queue;

    @Mixin
    private BrokerOptions broker;

    @Option(names = "--id", paramLabel = "ID",
            description = "The producer message id, for duplicate detection by the broker (default: a random one). "
                    + "With -, line N gets ID-N.")
    private String id;

    @Option(names = "--ttl", paramLabel = "DUR", converter = Conversions.DurationConverter.class,
            description = "How long the message may wait in the queue, like 30s or 10m (default: the queue's own; "
                    + "the shorter of the two applies).")
    private Duration ttl;

    @Option(names = "--header", paramLabel = "K=V", description = "A header to send; repeatable.")
    private Map<String, String> headers = new LinkedHashMap<>();

    @Option(names = "--timeout", paramLabel = "DUR", defaultValue = "5s",
            converter = Conversions.DurationConverter.class,
            description = "How long to wait for the broker to confirm each message (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(names = "--show-seq", description = "Print the queue's sequence number of each confirmed message.")
    private boolean showSeq;

    @Parameters(paramLabel = "BODY", arity = "1",
            description = "The message body, or - to enqueue each line of stdin as a message.")
    private String body;

    /** Where {@code -} reads messages from; tests replace it. */
    InputStream stdin = System.in;

    @Override
    public Integer call() throws IOException {
        checkArguments();
        try (Client client = Client.connect(broker.clientConfig("enqueue"))) {
            return new ConfirmedSender(spec.commandLine(), timeout, showSeq).run(body, stdin,
                    (text, line) -> client.enqueue(queue, MessageLines.message(text, headers), options(line))
                            .thenApply(EnqueueReceipt::seq),
                    (failure, read, confirmed) -> progress(read, confirmed) + explain(client, failure));
        }
    }

    private void checkArguments() {
        Arguments.checkName(spec.commandLine(), "--queue", queue);
        if (id != null && (id.isEmpty() || id.getBytes(StandardCharsets.UTF_8).length > 240)) {
            throw new ParameterException(spec.commandLine(), "--id: must be 1 to 240 bytes of UTF-8");
        }
        if (ttl != null && ttl.toMillis() > Integer.MAX_VALUE) {
            throw new ParameterException(spec.commandLine(), "--ttl: must be under 24 days, got "
                    + Durations.format(ttl));
        }
        if (timeout.toMillis() > Integer.MAX_VALUE) {
            throw new ParameterException(spec.commandLine(), "--timeout: must be under 24 days");
        }
    }

    /** The options of the BODY argument ({@code line} 0), or of stdin's line {@code line}: its id is ID-line. */
    private EnqueueOptions options(long line) {
        String messageId = line == 0 || id == null ? id : id + "-" + line;
        EnqueueOptions options = EnqueueOptions.defaults().withTimeout(timeout);
        if (ttl != null) {
            options = options.withTtl(ttl);
        }
        return messageId == null ? options : options.withMessageId(messageId);
    }

    /** Nothing for the BODY argument; reading stdin, how many of the lines read so far were confirmed. */
    private static String progress(long read, long confirmed) {
        return read == 0 ? "" : "confirmed " + confirmed + " of " + read + " " + (read == 1 ? "line" : "lines")
                + " before: ";
    }

    /** One line saying what happened, in the user's terms. */
    private String explain(Client client, CourierException failure) {
        String within = Durations.format(timeout);
        String detail = detail(failure);
        return switch (failure.reason()) {
            case TIMEOUT -> client.isConnected()
                    ? "the broker did not confirm the message for '" + queue + "' within " + within + " (timeout)"
                    : "not enqueued within " + within + ": no broker answers at " + broker.shown() + " (timeout)";
            case BACKPRESSURE -> detail.startsWith("queue full: ")
                    ? "queue '" + queue + "' is full: " + detail.substring("queue full: ".length()) + " (backpressure)"
                    : detail + " (backpressure)";
            case REFUSED -> "refused: " + detail;
            default -> detail + " (" + failure.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")";
        };
    }

    /** The reason alone: "enqueue to 'q' refused: queue full: ... (code 429)" reads "queue full: ...". */
    private static String detail(CourierException failure) {
        return Errors.message(failure).replaceFirst("^((enqueue to|consume from|list of queue|replay of queue|purge of "
                + "queue) '.*?' (failed|refused)( by the broker)?: )+", "").replaceFirst(" \\(code \\d+\\)$", "");
    }
}
