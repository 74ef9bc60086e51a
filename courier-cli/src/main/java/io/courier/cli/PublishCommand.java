package io.courier.cli;

import io.courier.client.Client;
import io.courier.client.RequestOptions;
import io.courier.core.CourierException;
import io.courier.core.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
        Arguments.checkName(spec.commandLine(), "--topic", topic);
        RequestOptions options = RequestOptions.of(timeout, 0);
        try (Client client = Client.connect(broker.clientConfig("publish").withDefaults(options))) {
            return new ConfirmedSender(spec.commandLine(), timeout, showSeq).run(body, stdin,
                    (text, line) -> client.publish(topic, MessageLines.message(text, headers)),
                    (failure, read, confirmed) -> read == 0 ? explain(client, failure)
                            : "line " + (confirmed + 1) + ": " + explain(client, failure) + "; stopped after "
                                    + confirmed + " confirmed " + (confirmed == 1 ? "line" : "lines"));
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
