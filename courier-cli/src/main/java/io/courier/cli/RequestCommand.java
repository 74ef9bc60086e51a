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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code courier request}: sends a request and prints the reply body; with {@code -}, one request per stdin line
 * and one reply line each, in order. Runs on the calling thread.
 */
@Command(name = "request", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Send a request to a service and print the reply body.",
                "Exit 3 when no reply comes in time, 1 for other errors, 4 when refused."},
        footer = {"", "Examples:",
                "  courier request --service echo hello",
                "  printf 'a\\nb\\n' | courier request --service echo --timeout 2s -"})
final class RequestCommand implements Callable<Integer> {
    /** Requests in flight at once when reading stdin; replies still print in input order. */
    private static final int WINDOW = 64;
    /** Extra wait beyond the client's own deadline, in case its timer is late. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    @Spec
    private CommandSpec spec;

    @Option(names = "--service", paramLabel = "NAME", required = true, description = "Service to call.")
    private String service;

    @Mixin
    private BrokerOptions broker;

    @Option(names = "--timeout", paramLabel = "DUR", defaultValue = "5s",
            converter = Conversions.DurationConverter.class,
            description = "Deadline of each attempt, like 500ms, 2s, 1m (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "0",
            description = "Attempts after a timeout (default: ${DEFAULT-VALUE}).")
    private int retries;

    @Option(names = "--header", paramLabel = "K=V", description = "A header to send; repeatable.")
    private Map<String, String> headers = new LinkedHashMap<>();

    @Parameters(paramLabel = "BODY", arity = "1",
            description = "The request body, or - to send each line of stdin as a request.")
    private String body;

    /** Where {@code -} reads requests from; tests replace it. */
    InputStream stdin = System.in;

    @Override
    public Integer call() throws IOException {
        if (retries < 0) {
            throw new ParameterException(spec.commandLine(), "--retries: must be at least 0, got " + retries);
        }
        RequestOptions options = RequestOptions.of(timeout, retries);
        try (Client client = Client.connect(broker.clientConfig("request").withDefaults(options))) {
            return "-".equals(body) ? fromStdin(client, options) : single(client, options);
        }
    }

    private int single(Client client, RequestOptions options) {
        CompletableFuture<Message> reply = client.request(service, MessageLines.message(body, headers), options);
        return print(client, reply, null);
    }

    private int fromStdin(Client client, RequestOptions options) throws IOException {
        ArrayDeque<CompletableFuture<Message>> inFlight = new ArrayDeque<>();
        BufferedReader lines = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        long printed = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            inFlight.add(client.request(service, MessageLines.message(line, headers), options));
            if (inFlight.size() >= WINDOW) {
                int code = print(client, inFlight.poll(), ++printed);
                if (code != ExitCodes.OK) {
                    return code;
                }
            }
        }
        while (!inFlight.isEmpty()) {
            int code = print(client, inFlight.poll(), ++printed);
            if (code != ExitCodes.OK) {
                return code;
            }
        }
        return ExitCodes.OK;
    }

    /** Waits for one reply and prints it; on failure prints one line to stderr and returns the exit code. */
    private int print(Client client, CompletableFuture<Message> pending, Long line) {
        PrintWriter out = spec.commandLine().getOut();
        Duration worstCase = timeout.multipliedBy(retries + 1L).plus(GRACE);
        try {
            MessageLines.print(out, "", pending.get(worstCase.toMillis(), TimeUnit.MILLISECONDS).bodyAsString());
            out.flush();
            return ExitCodes.OK;
        } catch (ExecutionException | TimeoutException e) {
            CourierException failure = Errors.unwrap(e) instanceof CourierException c ? c
                    : new CourierException(CourierException.Reason.TIMEOUT, "no reply");
            PrintWriter err = spec.commandLine().getErr();
            err.println(Errors.PREFIX + (line == null ? "" : "line " + line + ": ") + explain(client, failure));
            err.flush();
            return ExitCodes.of(failure.reason());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CourierException(CourierException.Reason.CLOSED, "interrupted while waiting for a reply");
        }
    }

    /** One line saying what happened, in the user's terms. */
    private String explain(Client client, CourierException failure) {
        String within = Durations.format(timeout) + (retries == 0 ? "" : " x " + (retries + 1) + " attempts");
        return switch (failure.reason()) {
            case TIMEOUT -> client.isConnected()
                    ? "no reply from '" + service + "' within " + within + " (timeout)"
                    : "no reply within " + within + ": no broker answers at " + broker.shown() + " (timeout)";
            case EXPIRED -> "no worker took the request for '" + service + "' within " + within + " (expired)";
            case UNKNOWN_SERVICE -> "no worker serves '" + service + "' (unknown service)";
            case REFUSED -> Errors.refusal(failure) != null ? Errors.refusal(failure)
                    : "refused: " + detail(failure);
            case SERVICE_ERROR -> "service '" + service + "' failed: " + detail(failure);
            default -> detail(failure) + " (" + failure.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + ")";
        };
    }

    /** The reason alone: "request to 'x' failed: disk full (code 500)" is shown as "disk full". */
    private static String detail(CourierException failure) {
        return Errors.message(failure).replaceFirst("^request to '.*?' failed: ", "")
                .replaceFirst(" \\(code \\d+\\)$", "");
    }
}
