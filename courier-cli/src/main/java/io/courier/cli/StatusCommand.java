package io.courier.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.courier.client.Client;
import io.courier.client.RequestOptions;
import io.courier.core.CourierException;
import io.courier.core.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code courier status}: asks a broker for its services and workers. Runs on the calling thread. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show a broker's services, workers and queued requests.",
                "Exit 3 when the broker does not answer in time."},
        footer = {"", "Examples:",
                "  courier status",
                "  courier status --broker tcp://10.0.0.5:5555 --json"})
final class StatusCommand implements Callable<Integer> {
    private static final Duration GRACE = Duration.ofSeconds(1);

    @Spec
    private CommandSpec spec;

    @Mixin
    private BrokerOptions broker;

    @Option(names = "--json", description = "Print the broker's status document as it is (JSON).")
    private boolean json;

    @Option(names = "--timeout", paramLabel = "DUR", defaultValue = "5s",
            converter = Conversions.DurationConverter.class,
            description = "How long to wait for the broker (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Override
    public Integer call() throws InterruptedException, JsonProcessingException {
        RequestOptions options = RequestOptions.of(timeout, 0);
        String document;
        try (Client client = Client.connect(broker.clientConfig("status").withDefaults(options))) {
            document = client.status().get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = Errors.unwrap(e);
            if (cause instanceof CourierException c && c.reason() != CourierException.Reason.TIMEOUT) {
                throw c;
            }
            PrintWriter err = spec.commandLine().getErr();
            err.println(Errors.PREFIX + "no answer from the broker at " + broker.shown() + " within "
                    + Durations.format(timeout) + " (is it running?)");
            err.flush();
            return ExitCodes.NO_REPLY;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? document + System.lineSeparator() : StatusTable.render(document));
        out.flush();
        return ExitCodes.OK;
    }
}
