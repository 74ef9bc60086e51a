package io.courier.cli;

import io.courier.bench.BenchCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code courier} command: a broker, workers, requests, status, a demo and the benchmark. Run it through
 * {@link #commandLine()}, which installs the error handlers that turn failures into one line and an exit code.
 */
@Command(name = "courier", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Reliable ZeroMQ messaging: run a broker, serve and call services, streams and queues.",
        subcommands = {BrokerCommand.class, WorkerCommand.class, RequestCommand.class, PublishCommand.class,
                SubscribeCommand.class, EnqueueCommand.class, ConsumeCommand.class, DlqCommand.class,
                StatusCommand.class, KeygenCommand.class, DemoCommand.class,
                BenchCommand.class, HelpCommand.class},
        footer = {"",
                "Exit codes: 0 ok, 1 error, 2 usage or config error, 3 timeout or no reply, 4 refused.",
                "",
                "Example (three terminals):",
                "  courier broker",
                "  courier worker --service echo --echo",
                "  courier request --service echo hello"})
public final class Courier implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** No subcommand: show the usage on stderr; a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** The command line with Courier's error handlers; set its out and err to capture output. */
    public static CommandLine commandLine() {
        Errors errors = new Errors();
        return new CommandLine(new Courier())
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
