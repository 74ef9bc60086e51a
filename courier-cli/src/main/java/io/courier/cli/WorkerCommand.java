package io.courier.cli;

import io.courier.client.Message;
import io.courier.client.RequestHandler;
import io.courier.client.Worker;
import io.courier.client.WorkerOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code courier worker}: serves a service until Ctrl-C or SIGTERM, echoing requests or running a shell command
 * for each. Runs on the calling thread; requests run on the worker's handler threads.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a service: echo requests, or run a shell command for each.",
                "With --exec the request body is the command's stdin and its stdout the reply;",
                "a non-zero exit fails the request with its stderr. Runs until Ctrl-C."},
        footer = {"", "Examples:",
                "  courier worker --service echo --echo",
                "  courier worker --service upper --exec 'tr a-z A-Z' --capacity 4"})
final class WorkerCommand implements Callable<Integer> {
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration PATIENCE = Duration.ofSeconds(3);

    @Spec
    private CommandSpec spec;

    @Option(names = "--service", paramLabel = "NAME", required = true, description = "Service to serve.")
    private String service;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Mode mode;

    @Mixin
    private BrokerOptions broker;

    @Option(names = "--capacity", paramLabel = "N", defaultValue = "1",
            description = "Requests handled at once (default: ${DEFAULT-VALUE}).")
    private int capacity;

    @Option(names = "--exec-timeout", paramLabel = "DUR", defaultValue = "30s",
            converter = Conversions.DurationConverter.class,
            description = "Longest a --exec command may run before the request fails (default: ${DEFAULT-VALUE}).")
    private Duration execTimeout;

    private final CountDownLatch stopRequested = new CountDownLatch(1);

    /** What the worker does with each request: exactly one of these. */
    static final class Mode {
        @Option(names = "--echo", required = true, description = "Reply with the request itself.")
        private boolean echo;

        @Option(names = "--exec", paramLabel = "CMD", required = true,
                description = "Run CMD with the shell (sh -c, or cmd /c on Windows) for each request.")
        private String exec;
    }

    /** Asks a running {@code call()} to close the worker and return: what SIGTERM and Ctrl-C do. */
    void stop() {
        stopRequested.countDown();
    }

    @Override
    public Integer call() {
        if (capacity < 1) {
            throw new ParameterException(spec.commandLine(), "--capacity: must be at least 1, got " + capacity);
        }
        ExecHandler exec = mode.exec == null ? null : new ExecHandler(mode.exec, execTimeout);
        RequestHandler handler = exec == null ? WorkerCommand::echo : exec;
        WorkerOptions options = WorkerOptions.of(service).withCapacity(capacity);
        try {
            Worker worker = Worker.start(broker.clientConfig("worker"), options, handler);
            StopSignals signals = StopSignals.install(this::stop, worker::close);
            try {
                return serve(worker);
            } finally {
                worker.close();
                signals.close();
            }
        } finally {
            if (exec != null) {
                exec.close();
            }
        }
    }

    /**
     * Announces registration (once), warns once if no broker answers, then waits for a stop request (a signal,
     * {@link #stop()} or an interrupt): exit code 0. A refusal at the security handshake ends it at once with exit
     * code 4, as for every command.
     */
    private int serve(Worker worker) {
        PrintWriter out = spec.commandLine().getOut();
        long warnAt = System.nanoTime() + PATIENCE.toNanos();
        boolean announced = false;
        boolean warned = false;
        while (!awaitStop()) {
            Optional<String> refusal = worker.refusal();
            if (refusal.isPresent()) {
                spec.commandLine().getErr().println(Errors.PREFIX + refusal.get());
                spec.commandLine().getErr().flush();
                return ExitCodes.REFUSED;
            }
            if (!announced && worker.isConnected()) {
                announced = true;
                out.printf("worker registered: service '%s' (capacity %d, %s) at %s; Ctrl-C stops it%n", service,
                        capacity, mode.exec == null ? "echo" : "exec '" + mode.exec + "'", broker.shown());
                out.flush();
            } else if (!announced && !warned && System.nanoTime() - warnAt > 0) {
                warned = true;
                spec.commandLine().getErr().println(Errors.PREFIX + "no broker answers at " + broker.shown()
                        + " yet; still trying");
                spec.commandLine().getErr().flush();
            }
        }
        return ExitCodes.OK;
    }

    private boolean awaitStop() {
        try {
            return stopRequested.await(POLL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Echo, kept as a named method so the handler reads clearly in stack traces. */
    static Message echo(Message request) {
        return request;
    }
}
