package io.courier.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.client.Client;
import io.courier.client.StreamEvent;
import io.courier.client.StreamListener;
import io.courier.client.StreamLoss;
import io.courier.client.SubscribeOptions;
import io.courier.client.Subscription;
import io.courier.core.ConfigException;
import io.courier.core.Durations;
import io.courier.protocol.StreamStart;
import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code courier subscribe}: subscribes to the streams whose topic starts with a prefix and prints each message
 * on a line of stdout, and each loss on a line of stderr. The listener only queues what arrives; the calling
 * thread prints it, counts it and keeps the time.
 */
@Command(name = "subscribe", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Subscribe to streams and print each message body on a line (UTF-8).",
                "Messages that can never be delivered are reported on stderr as "
                        + "'courier: lost topic T seq A..B: reason', and the subscription goes on.",
                "Runs until --count messages arrived (exit 0), until --timeout (exit 3), or until Ctrl-C."},
        footer = {"", "Examples:",
                "  courier subscribe --topic prices.",
                "  courier subscribe --topic orders. --from first --count 10 --timeout 5s",
                "  courier subscribe --topic '' --from -5m --show-seq    # all topics, last 5m",
                "  courier subscribe --topic fx.eur --from last --count 1  # the latest value"})
final class SubscribeCommand implements Callable<Integer> {
    /** Messages waiting to be printed; when full the listener waits and the client paces the subscription. */
    private static final int QUEUE = 1_024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Option(names = "--topic", paramLabel = "PREFIX", required = true,
            description = "Subscribe to every stream whose topic starts with PREFIX; an empty PREFIX ('') means "
                    + "every topic.")
    private String prefix;

    @Mixin
    private BrokerOptions broker;

    @Option(names = "--from", paramLabel = "START", defaultValue = "now", converter = StartConverter.class,
            description = "Where to start in each stream, then go on live: now (the default: only new messages), "
                    + "first (every retained message), last (the newest retained message of each stream), a "
                    + "sequence number like 42, an ISO-8601 time like 2026-11-25T10:00:00Z, or a time ago like -5m.")
    private SubscribeOptions from;

    @Mixin
    private ReceiveLimits limits;

    @Option(names = "--show-seq", description = "Start each line with the topic and sequence number: 'T SEQ BODY'.")
    private boolean showSeq;

    /** Messages and losses from the listener, the subscription's end, or the streams' heads. */
    private final BlockingQueue<Object> items = new ArrayBlockingQueue<>(QUEUE);
    private volatile boolean done;

    /** The broker's status document, to tell whether a SEQ start is beyond the streams' heads. */
    private record Heads(String document) {
    }

    @Override
    public Integer call() throws InterruptedException {
        checkArguments();
        done = false;
        items.clear();
        try (Client client = Client.connect(broker.clientConfig("subscribe"))) {
            Subscription subscription = client.subscribe(prefix, from, new Feed());
            try {
                watchHeads(client, subscription);
                ReceiveLoop loop = new ReceiveLoop(spec.commandLine(), limits, broker, "subscription",
                        "subscription to '" + prefix + "'");
                return loop.run(client::isConnected, subscription.subscribed(), items,
                        new Printer(spec.commandLine().getOut()));
            } finally {
                done = true;
                subscription.close();
                items.clear();   // frees a listener waiting for room; it sees done and stops
            }
        }
    }

    private void checkArguments() {
        Arguments.checkBytes(spec.commandLine(), "--topic", prefix);
        if (limits.count() != null && limits.count() < 1) {
            throw new ParameterException(spec.commandLine(), "--count: must be at least 1, got " + limits.count());
        }
    }

    /** For a SEQ start, asks for the broker's status once subscribed; the streams' heads come back as an item. */
    private void watchHeads(Client client, Subscription subscription) {
        if (from.start() == StreamStart.SEQ) {
            subscription.subscribed().thenCompose(subscribed -> client.status())
                    .thenAccept(document -> items.offer(new Heads(document)));
        }
    }

    /** {@code lost topic T seq A..B: reason}; a loss to the end of the old numbering (a restart) ends in "end". */
    private static String lost(StreamLoss loss) {
        String to = loss.toSeq() == Long.MAX_VALUE ? "end" : Long.toString(loss.toSeq());
        return "lost topic " + loss.topic() + " seq " + loss.fromSeq() + ".." + to + ": " + loss.reason();
    }

    /** For a SEQ start, says which matching streams have not reached that seq yet (the subscription waits). */
    private void beyondHeads(String document) {
        long seq = from.startValue();
        try {
            for (JsonNode stream : JSON.readTree(document).path("streams")) {
                String name = stream.path("name").asText("");
                long head = stream.path("headSeq").asLong(Long.MAX_VALUE);
                if (name.startsWith(prefix) && head < seq) {
                    Errors.print(spec.commandLine(), "seq " + seq + " is beyond the head of the stream '" + name
                            + "' (" + head + "); waiting for it");
                }
            }
        } catch (JsonProcessingException e) {
            // Only a hint for the user: without a readable document there is nothing to say, and nothing changes.
        }
    }

    /** On the command's thread: prints each message on stdout, each loss on stderr, and the heads' notice. */
    private final class Printer implements ReceiveLoop.Receiver {
        private final PrintWriter out;

        Printer(PrintWriter out) {
            this.out = out;
        }

        @Override
        public boolean handle(Object item) {
            if (item instanceof StreamEvent event) {
                MessageLines.print(out, showSeq ? event.topic() + " " + event.seq() + " " : "", event.bodyAsString());
                return true;
            }
            if (item instanceof StreamLoss loss) {
                Errors.print(spec.commandLine(), lost(loss));
            } else if (item instanceof Heads heads) {
                beyondHeads(heads.document());
            }
            return false;
        }

        /**
         * Flushes; true when stdout is closed (as by {@code | head -1}), so that the command ends instead of printing
         * into nothing. System.out hides its write errors from the writer wrapped around it, so both are asked.
         */
        @Override
        public boolean stdoutGone() {
            return out.checkError() || System.out.checkError();
        }

        @Override
        public void flush() {
            out.flush();
        }
    }

    /** Queues what the client delivers for the command's thread; waits for room, so a slow terminal paces it. */
    private final class Feed implements StreamListener {
        @Override
        public void onEvent(StreamEvent event) {
            hand(event);
        }

        @Override
        public void onLoss(StreamLoss loss) {
            hand(loss);
        }

        @Override
        public void onClosed(String reason) {
            hand(new ReceiveLoop.Ended(reason));
        }

        private void hand(Object item) {
            try {
                boolean handed = false;
                while (!handed && !done) {   // full: the command's thread is printing; wait unless it has finished
                    handed = items.offer(item, 100, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@code --from}: {@code now}, {@code first}, {@code last}, a sequence number, an ISO-8601 time, or a time ago
     * like {@code -5m}. picocli names the option and the value in its error. Stateless.
     */
    static final class StartConverter implements ITypeConverter<SubscribeOptions> {
        private static final Pattern SEQ = Pattern.compile("\\d{1,19}");

        @Override
        public SubscribeOptions convert(String value) {
            String text = value.trim();
            switch (text.toLowerCase(Locale.ROOT)) {
                case "now":
                    return SubscribeOptions.ofNow();
                case "first":
                    return SubscribeOptions.ofFirst();
                case "last":
                    return SubscribeOptions.ofLast();
                default:
                    break;
            }
            if (SEQ.matcher(text).matches()) {
                return seq(value, text);
            }
            if (text.startsWith("-")) {
                return ago(value, text.substring(1));
            }
            try {
                Instant time = OffsetDateTime.parse(text).toInstant();
                if (time.toEpochMilli() < 0) {
                    throw new TypeConversionException("'" + value + "' is before 1970");
                }
                return SubscribeOptions.ofTime(time);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a start: expected now, first, last, a "
                        + "sequence number like 42, a time like 2026-11-25T10:00:00Z, or a time ago like -5m");
            }
        }

        private static SubscribeOptions seq(String value, String text) {
            long seq;
            try {
                seq = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is too large for a sequence number");
            }
            if (seq < 1) {
                throw new TypeConversionException("'" + value + "' is not a sequence number: they start at 1");
            }
            return SubscribeOptions.ofSeq(seq);
        }

        private static SubscribeOptions ago(String value, String duration) {
            try {
                return SubscribeOptions.ofTime(Instant.now().minus(Durations.parse(duration)));
            } catch (ConfigException | ArithmeticException | DateTimeException e) {
                throw new TypeConversionException("'" + value + "' is not a time ago: expected a minus sign, a "
                        + "number and a unit, like -500ms, -30s, -5m or -2h");
            }
        }
    }
}
