package io.courier.cli;

import io.courier.broker.Broker;
import io.courier.broker.config.BrokerConfig;
import io.courier.client.Client;
import io.courier.client.ClientConfig;
import io.courier.client.Message;
import io.courier.client.RequestOptions;
import io.courier.client.Worker;
import io.courier.core.CourierException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code courier demo}: a broker, two workers and a client in one process, narrated step by step. Every wait is
 * bounded; everything it starts is closed before it returns. Runs on the calling thread.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a broker, two workers and a client in one process, narrating each step.",
        footer = {"", "Example:", "  courier demo", "  courier demo --requests 10000"})
final class DemoCommand implements Callable<Integer> {
    private static final String SERVICE = "echo";
    private static final String SERVED_BY = "served-by";
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Option(names = "--requests", paramLabel = "N", defaultValue = "3000",
            description = "Requests timed one at a time after the first, 6 to 1000000; the median of the first and "
                    + "of the last sixth is shown (default: ${DEFAULT-VALUE}).")
    int requests;

    @Spec
    private CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        if (requests < 6 || requests > 1_000_000) {
            throw new ParameterException(spec.commandLine(), "--requests must be 6 to 1000000, got " + requests);
        }
        out = spec.commandLine().getOut();
        Path data = Files.createTempDirectory("courier-demo");
        BrokerConfig config = BrokerConfig.ephemeral(data)
                .withRequests(new BrokerConfig.Requests(WAIT, Duration.ofMillis(300), 1_000));
        Broker broker = null;
        Worker a = null;
        Worker b = null;
        Client client = null;
        try {
            say("courier demo: a broker, two workers and a client, all in this process");
            broker = Broker.start(config);
            say("1. broker bound frontend %s (publish %s, subscribe %s)", broker.frontendEndpoint(),
                    broker.publishEndpoint(), broker.subscribeEndpoint());
            ClientConfig base = ClientConfig.of(broker.frontendEndpoint());
            a = Worker.start(base.withName("demo-a"), SERVICE, request -> request.withHeader(SERVED_BY, "demo-a"));
            b = Worker.start(base.withName("demo-b"), SERVICE, request -> request.withHeader(SERVED_BY, "demo-b"));
            Broker running = broker;
            await("two workers registered", () -> running.stats().workers() == 2);
            say("2. workers demo-a and demo-b registered for service '%s'", SERVICE);
            client = Client.connect(base.withName("demo-client"));
            await("client connected", client::isConnected);
            Message first = timed(client, "hello", "3. client connected; request sent to '" + SERVICE
                    + "': \"hello\"");
            String firstWorker = first.header(SERVED_BY);
            warmUp(client);
            Worker stopping = "demo-a".equals(firstWorker) ? a : b;
            stopping.close();
            await("one worker left", () -> running.stats().workers() == 1);
            say("5. worker %s stops; the broker has 1 worker left for '%s'", firstWorker, SERVICE);
            Message second = timed(client, "hello again", "6. request sent again");
            say("   the other worker, %s, took over", second.header(SERVED_BY));
            unknownService(client);
            say("8. closing the client, the worker and the broker; try it yourself with "
                    + "`courier broker`, `courier worker` and `courier request`");
            return ExitCodes.OK;
        } finally {
            closeAll(client, a, b, broker);
            deleteTree(data);
        }
    }

    private Message timed(Client client, String body, String narration) throws Exception {
        say(narration);
        long start = System.nanoTime();
        Message reply = client.request(SERVICE, Message.of(body), RequestOptions.of(WAIT, 0))
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        long micros = (System.nanoTime() - start) / 1_000;
        say("   reply \"%s\" received in %s from %s", reply.bodyAsString(), time(micros), reply.header(SERVED_BY));
        return reply;
    }

    /**
     * The first request pays for connection set-up and a cold JIT, and so, less, do the next few hundred: the JVM
     * is still compiling on the same cores. A few thousand more show the steady cost.
     */
    private void warmUp(Client client) throws Exception {
        long[] micros = new long[requests];
        int shown = requests / 6;
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            client.request(SERVICE, Message.of("warm-up " + i), RequestOptions.of(WAIT, 0))
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            micros[i] = (System.nanoTime() - start) / 1_000;
        }
        say("4. %,d more requests, one at a time: median round trip %s for the first %d (the JVM is still "
                + "compiling), %s for the last %d", requests, time(median(micros, 0, shown)), shown,
                time(median(micros, requests - shown, requests)), shown);
    }

    private static long median(long[] values, int from, int to) {
        long[] part = Arrays.copyOfRange(values, from, to);
        Arrays.sort(part);
        return part[part.length / 2];
    }

    private void unknownService(Client client) throws InterruptedException, TimeoutException {
        say("7. request sent to 'nope', a service no worker serves");
        try {
            client.request("nope", Message.of("?"), RequestOptions.of(WAIT, 0))
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            say("   unexpected: a reply");
        } catch (ExecutionException e) {
            String reason = Errors.unwrap(e) instanceof CourierException c ? c.reason().name() : e.toString();
            say("   the broker answers %s after waiting 300ms for a worker: \"%s\"", reason, Errors.message(e));
        }
    }

    /** {@code 812 us} or {@code 12.3 ms}. */
    private static String time(long micros) {
        return micros < 10_000 ? micros + " us" : String.format(Locale.ROOT, "%.1f ms", micros / 1_000.0);
    }

    private void say(String format, Object... args) {
        out.println(args.length == 0 ? format : String.format(format, args));
        out.flush();
    }

    /** Polls a condition every few milliseconds, bounded by {@link #WAIT}. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new CourierException(CourierException.Reason.TIMEOUT, "demo: waited too long for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private static void closeAll(AutoCloseable... resources) throws Exception {
        Exception first = null;
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the demo's data directory " + root, e);
        }
    }
}
