package io.courier.bench;

import io.courier.bench.pubsub.PubSubCommand;
import io.courier.bench.queue.QueueCommand;
import io.courier.bench.reqrep.ReqRepCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code courier bench}: measures Courier against raw JeroMQ. One subcommand per messaging path: {@code reqrep},
 * {@code pubsub} and {@code queue}. Each runs in the calling thread and prints a report.
 */
@Command(name = "bench", description = "Measure latency and throughput through the broker and over raw JeroMQ.",
        mixinStandardHelpOptions = true, subcommands = {ReqRepCommand.class, PubSubCommand.class, QueueCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  courier bench reqrep --compare", "  courier bench reqrep --compare --inflight 64 --json",
                "  courier bench pubsub --compare", "  courier bench queue --sync always --json"})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Runs {@code bench} alone, without the {@code courier} command around it. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    /** Called only when no subcommand was given: that is a usage error. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
