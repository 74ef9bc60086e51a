package io.courier.bench;

import picocli.CommandLine.Command;

/** {@code courier bench}: measures Courier against raw JeroMQ. Subcommands per messaging path. */
@Command(name = "bench", description = "Measure latency and throughput through the broker and over raw JeroMQ.",
        mixinStandardHelpOptions = true)
public final class BenchCommand {
}
