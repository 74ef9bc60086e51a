package io.courier.cli;

import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.client.RequestOptions;
import io.courier.core.CourierException;
import io.courier.core.Durations;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code courier publish}: publishes one message to a stream and waits until the broker confirms it; with
 * {@code -}, one message per stdin line, confirmed in order. Runs on the calling thread.
 */
@Command(name = "publish", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Publish a message to a stream and wait until the broker confirms it.",
                "Prints nothing, or with --show-seq the sequence number the broker gave each message.",
                "Exit 3 when no confirmation comes in time, 1 for other errors (such as a message over the broker's "
                        + "size limit), 4 when refused."},
        footer = {"", "Examples:",
                "  courier publish --topic prices.eur 1.08",
                "  courier publish --topic orders.new --header trace=abc --show-seq '{\"id\":7}'",
                "  tail -f app.log | courier publish --topic logs.app -"})
final class PublishCommand implements Callable<Integer> {
    /** Publishes awaiting confirmation at once when reading stdin; they are still confirmed in input order. */
    private static final int WINDOW = 256;
    /** Extra wait beyond the client's own deadline, in case its timer is late. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final int MAX_TOPIC_BYTES = 255;

    @Spec
    private CommandSpec spec;

    @Option(names = "--topic", paramLabel = "TOPIC", required = true,
            description = "Stream to publish to: 1 to 255 bytes of UTF-8, like prices.eur.")
    private String topic;

    @Mixin
    private BrokerOptions broker;

    @Option(names = "--header", paramLabel = "K=V", description = "A header to send; repeatable.")
    private Map<String, String> headers = new LinkedHashMap<>();

    @Option(names = "--timeout", paramLabel = "DUR", defaultValue = "5s",
            converter = Conversions.DurationConverter.class,
            description = "How long to wait for the broker to confirm each message, like 500ms, 2s, 1m "
                    + "(default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(names = "--show-seq", description = "Print the sequence number of each confirmed message, one a line.")
    private boolean showSeq;

    @Parameters(paramLabel = "BODY", arity = "1",
            description = "The message body, or - to publish each line of stdin as a message.")
    private String body;

    /** Where {@code -} reads messages from; tests replace it. */
    InputStream stdin = System.in;

    @Override
    public Integer call() throws IOException {
        checkTopic();
        RequestOptions options = RequestOptions.of(timeout, 0);
        try (Client client = Client.connect(broker.clientConfig("publish").withDefaults(options))) {
            if (!"-".equals(body)) {
                return confirm(client, client.publish(topic, message(body)), 0, 0);
            }
            return fromStdin(client);
        }
    }

    /** Usage errors, before connecting: the client would refuse these with an exception. */
    private void checkTopic() {
        if (topic.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--topic: must not be empty");
        }
        int bytes = topic.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TOPIC_BYTES) {
            throw new ParameterException(spec.commandLine(), "--topic: is " + bytes
                    + " bytes of UTF-8, the most is " + MAX_TOPIC_BYTES);
        }
    }

    /**
     * Publishes each line as it is read, with up to {@link #WINDOW} awaiting confirmation; confirmations are taken
     * in input order as soon as they are in, so {@code --show-seq} keeps up with a slow producer.
     */
    private int fromStdin(Client client) throws IOException {
        ArrayDeque<CompletableFuture<Long>> inFlight = new ArrayDeque<>();
        BufferedReader lines = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        long confirmed = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            inFlight.add(client.publish(topic, message(line)));
            while (!inFlight.isEmpty() && (inFlight.size() >= WINDOW || inFlight.peek().isDone())) {
                int code = confirm(client, inFlight.poll(), confirmed + 1, confirmed);
                if (code != ExitCodes.OK) {
                    return code;
                }
                confirmed++;
            }
        }
        while (!inFlight.isEmpty()) {
            int code = confirm(client, inFlight.poll(), confirmed + 1, confirmed);
            if (code != ExitCodes.OK) {
                return code;
            }
            confirmed++;
        }
        return ExitCodes.OK;
    }

    private Message message(String text) {
        Message m = Message.of(text);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            m = m.withHeader(header.getKey(), header.getValue());
        }
        return m;
    }

    /**
     * Waits for one confirmation and prints its seq if asked; on failure prints one line to stderr and returns the
     * exit code. {@code line} is 0 for a single message, else the stdin line, with {@code confirmed} lines before it.
     */
    private int confirm(Client client, CompletableFuture<Long> pending, long line, long confirmed) {
        try {
            long seq = pending.get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
            if (showSeq) {
                PrintWriter out = spec.commandLine().getOut();
                out.println(seq);
                out.flush();
            }
            return ExitCodes.OK;
        } catch (ExecutionException | TimeoutException e) {
            CourierException failure = Errors.unwrap(e) instanceof CourierException c ? c
                    : new CourierException(CourierException.Reason.TIMEOUT, "no confirmation");
            PrintWriter err = spec.commandLine().getErr();
            String where = line == 0 ? "" : "line " + line + ": ";
            String progress = line == 0 ? "" : "; stopped after " + confirmed + " confirmed "
                    + (confirmed == 1 ? "line" : "lines");
            err.println(Errors.PREFIX + where + explain(client, failure) + progress);
            err.flush();
            return ExitCodes.of(failure.reason());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CourierException(CourierException.Reason.CLOSED, "interrupted while waiting for a confirmation");
        }
    }

    /** One line saying what happened, in the user's terms. */
    private String explain(Client client, CourierException failure) {
        String within = Durations.format(timeout);
        return switch (failure.reason()) {
            case TIMEOUT -> client.isConnected()
                    ? "the broker did not confirm the publish to '" + topic + "' within " + within + " (timeout)"
                    : "not published within " + within + ": no broker answers at " + broker.shown() + " (timeout)";
            case TOO_LARGE -> "message too large for '" + topic + "': " + limit(detail(failure)) + " (too large)";
            case REFUSED -> Errors.refusal(failure) != null ? Errors.refusal(failure)
                    : "refused: " + detail(failure);
            case UNAVAILABLE -> detail(failure) + " (unavailable)";
            default -> detail(failure) + " (" + failure.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + ")";
        };
    }

    /** Says whose size limit it is: the client's own (its maxMessageBytes) or the broker's (WELCOME or ERROR 413). */
    private static String limit(String detail) {
        return detail.replaceFirst("over maxMessageBytes (\\d+)$", "over the client's limit of $1 bytes")
                .replaceFirst("over the broker's max-message-bytes (\\d+)$", "over the broker's limit of $1 bytes")
                .replaceFirst("over the broker's limit of (\\d+)$", "over the broker's limit of $1 bytes");
    }

    /** The reason alone: "publish to 'x' failed: too many streams (code 429)" is shown as "too many streams". */
    private static String detail(CourierException failure) {
        return Errors.message(failure).replaceFirst("^(publish to '.*?' (failed|refused): )+", "")
                .replaceFirst(" \\(code \\d+\\)$", "");
    }
}
