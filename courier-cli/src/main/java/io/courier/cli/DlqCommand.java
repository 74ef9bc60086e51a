package io.courier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.client.Client;
import io.courier.client.QueuedMessage;
import io.courier.client.RequestOptions;
import io.courier.core.CourierException;
import io.courier.core.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code courier dlq}: shows, replays or purges the dead letters of a queue. {@code --queue} names the queue whose
 * dead letters to work on; its dead-letter queue is the one the broker's status names for it ({@code deadLetterQueue}),
 * else the queue's name plus {@code .dlq} (the broker's default), unless {@code --dlq} names it. Runs on the calling
 * thread.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show, replay or purge the dead letters of a queue.",
                "  list    print the oldest dead letters (seq, deliveries, why it was dead-lettered, body)",
                "  replay  move dead letters back to the queue they came from",
                "  purge   drop every dead letter",
                "The dead-letter queue is the one the broker configured for --queue (by default QUEUE.dlq); --dlq "
                        + "names one directly. Exit 3 when the broker does not answer in time."},
        footer = {"", "Examples:",
                "  courier dlq --queue jobs list",
                "  courier dlq --queue jobs replay --count 10",
                "  courier dlq --queue jobs purge"})
final class DlqCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration GRACE = Duration.ofSeconds(1);
    private static final int MAX_LIST = 1_000;
    private static final int DEFAULT_LIST = 100;
    private static final String[] HEADINGS = {"SEQ", "DELIVERIES", "REASON", "BODY"};

    /** What to do with the dead letters. */
    enum Action { list, replay, purge }

    @Spec
    private CommandSpec spec;

    @Option(names = "--queue", paramLabel = "QUEUE", required = true,
            description = "The queue whose dead letters to work on (not its dead-letter queue), like jobs.")
    private String queue;

    @Option(names = "--dlq", paramLabel = "DLQ",
            description = "The dead-letter queue itself, when it is not the one the broker names for --queue.")
    private String dlq;

    @Mixin
    private BrokerOptions broker;

    @Option(names = "--count", paramLabel = "N",
            description = "list: show at most N (1 to 1000, default 100); replay: move at most N (default: all).")
    private Long count;

    @Option(names = "--timeout", paramLabel = "DUR", defaultValue = "5s",
            converter = Conversions.DurationConverter.class,
            description = "How long to wait for the broker (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Parameters(paramLabel = "ACTION", arity = "1", description = "list, replay or purge.")
    private Action action;

    @Override
    public Integer call() throws InterruptedException {
        Arguments.checkName(spec.commandLine(), "--queue", queue);
        if (dlq != null) {
            Arguments.checkName(spec.commandLine(), "--dlq", dlq);
        }
        Arguments.checkCount(spec.commandLine(), "--count", count,
                action == Action.list ? MAX_LIST : Integer.MAX_VALUE);
        RequestOptions options = RequestOptions.of(timeout, 0);
        try (Client client = Client.connect(broker.clientConfig("dlq").withDefaults(options))) {
            String target = dlq != null ? dlq : wait(client.status().thenApply(this::deadLetterQueue));
            PrintWriter out = spec.commandLine().getOut();
            switch (action) {
                case list -> list(out, target, wait(client.listQueue(target, count == null ? DEFAULT_LIST
                        : count.intValue())));
                case replay -> out.println("replayed " + messages(wait(client.replayDeadLetters(target,
                        count == null ? 0 : count.intValue()))) + " from " + target);
                case purge -> out.println("purged " + messages(wait(client.purgeQueue(target))) + " from "
                        + target);
                default -> throw new IllegalStateException("unknown action " + action);
            }
            out.flush();
            return ExitCodes.OK;
        } catch (NoSuchQueue e) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(action == Action.list ? "(no dead letters: no queue '" + e.getMessage() + "')"
                    : (action == Action.replay ? "replayed" : "purged") + " 0 messages: no queue '" + e.getMessage()
                    + "'");
            out.flush();
            return ExitCodes.OK;
        } catch (TimeoutException e) {
            Errors.print(spec.commandLine(), "no answer from the broker at " + broker.shown() + " within "
                    + Durations.format(timeout) + " (timeout)");
            return ExitCodes.NO_REPLY;
        }
    }

    /** The queue's dead-letter queue as the broker's status names it, else the broker's default name. */
    private String deadLetterQueue(String status) {
        try {
            for (JsonNode q : JSON.readTree(status).path("queues")) {
                if (queue.equals(q.path("name").asText()) && !q.path("deadLetterQueue").asText("").isEmpty()) {
                    return q.path("deadLetterQueue").asText();
                }
            }
        } catch (IOException e) {
            // an unreadable status names nothing: the default below applies
        }
        return queue + ".dlq";
    }

    private void list(PrintWriter out, String target, List<QueuedMessage> messages) {
        if (messages.isEmpty()) {
            out.println("(no dead letters in " + target + ")");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADINGS);
        for (QueuedMessage m : messages) {
            String reason = m.header(QueuedMessage.DEAD_LETTER_REASON);
            rows.add(new String[] {Long.toString(m.seq()), Integer.toString(m.deliveries()),
                reason == null ? "-" : reason, m.bodyAsString().replace("\n", "\\n")});
        }
        int[] widths = new int[3];
        for (String[] row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            out.println(String.format("%" + widths[0] + "s  %" + widths[1] + "s  %-" + widths[2] + "s  %s", row[0],
                    row[1], row[2], row[3]).stripTrailing());
        }
    }

    private static String messages(int n) {
        return n + (n == 1 ? " message" : " messages");
    }

    /** The answer, or the failure as an exception the error handler turns into a line and an exit code. */
    private <T> T wait(CompletableFuture<T> future) throws InterruptedException, TimeoutException {
        try {
            return future.get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (Errors.unwrap(e) instanceof CourierException c) {
                if (c.reason() == CourierException.Reason.TIMEOUT) {
                    throw new TimeoutException(c.getMessage());
                }
                String text = Errors.message(c);
                if (c.reason() == CourierException.Reason.PROTOCOL && text.contains("does not exist")) {
                    throw new NoSuchQueue(text.replaceFirst("^.*?queue '(.*?)' does not exist.*$", "$1"));
                }
                throw c;
            }
            throw new CourierException(CourierException.Reason.PROTOCOL, "dlq " + action + " failed", e.getCause());
        }
    }

    /** The broker says the queue does not exist: nothing was ever dead-lettered there. */
    private static final class NoSuchQueue extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoSuchQueue(String queue) {
            super(queue, null, false, false);
        }
    }
}
