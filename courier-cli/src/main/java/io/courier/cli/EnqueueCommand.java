package io.courier.cli;

import io.courier.client.Client;
import io.courier.client.EnqueueOptions;
import io.courier.client.EnqueueReceipt;
import io.courier.client.Message;
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
 * {@code courier enqueue}: stores one message in a durable queue and waits until the broker confirms it is on disk;
 * with {@code -}, one message per stdin line, up to {@link #WINDOW} awaiting confirmation at once. Runs on the
 * calling thread.
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
    /** Enqueues awaiting confirmation at once when reading stdin; they are still confirmed in input order. */
    private static final int WINDOW = 256;
    /** Extra wait beyond the client's own deadline, in case its timer is late. */
    private static final Duration GRACE = Duration.ofSeconds(2);

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
            if (!"-".equals(body)) {
                return confirm(client, client.enqueue(queue, message(body), options(id)), 0, 0);
            }
            return fromStdin(client);
        }
    }

    private void checkArguments() {
        QueueArguments.checkQueue(spec.commandLine(), "--queue", queue);
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

    private EnqueueOptions options(String messageId) {
        EnqueueOptions options = EnqueueOptions.defaults().withTimeout(timeout);
        if (ttl != null) {
            options = options.withTtl(ttl);
        }
        return messageId == null ? options : options.withMessageId(messageId);
    }

    /** Enqueues each line as it is read, with up to {@link #WINDOW} awaiting confirmation, confirmed in order. */
    private int fromStdin(Client client) throws IOException {
        ArrayDeque<CompletableFuture<EnqueueReceipt>> inFlight = new ArrayDeque<>();
        BufferedReader lines = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        long read = 0;
        long confirmed = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            read++;
            inFlight.add(client.enqueue(queue, message(line), options(id == null ? null : id + "-" + read)));
            while (!inFlight.isEmpty() && (inFlight.size() >= WINDOW || inFlight.peek().isDone())) {
                int code = confirm(client, inFlight.poll(), read, confirmed);
                if (code != ExitCodes.OK) {
                    return code;
                }
                confirmed++;
            }
        }
        while (!inFlight.isEmpty()) {
            int code = confirm(client, inFlight.poll(), read, confirmed);
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
     * exit code. {@code read} is 0 for a single message, else the stdin lines read so far, {@code confirmed} of them
     * confirmed.
     */
    private int confirm(Client client, CompletableFuture<EnqueueReceipt> pending, long read, long confirmed) {
        try {
            EnqueueReceipt receipt = pending.get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
            if (showSeq) {
                PrintWriter out = spec.commandLine().getOut();
                out.println(receipt.seq());
                out.flush();
            }
            return ExitCodes.OK;
        } catch (ExecutionException | TimeoutException e) {
            CourierException failure = Errors.unwrap(e) instanceof CourierException c ? c
                    : new CourierException(CourierException.Reason.TIMEOUT, "no confirmation");
            PrintWriter err = spec.commandLine().getErr();
            String progress = read == 0 ? "" : "confirmed " + confirmed + " of " + read + " "
                    + (read == 1 ? "line" : "lines") + " before: ";
            err.println(Errors.PREFIX + progress + explain(client, failure));
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
        String detail = QueueArguments.detail(Errors.message(failure));
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
}
