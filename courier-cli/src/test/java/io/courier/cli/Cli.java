package io.courier.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import picocli.CommandLine;

/**
 * Runs the courier command in-process, as {@link Courier#main} does but with stdout and stderr captured. Runs
 * either to the end on the test thread, or in the background for commands that serve until stopped.
 */
final class Cli {
    private final CommandLine commandLine = Courier.commandLine();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private CompletableFuture<Integer> background;

    Cli() {
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
    }

    /** Runs to the end and returns the exit code. */
    static Result run(String... args) {
        return new Cli().execute(args);
    }

    /** Runs {@code courier request ... -} with {@code input} as its stdin. */
    static Result runWithStdin(String input, String... args) {
        Cli cli = new Cli();
        cli.<RequestCommand>subcommand("request", request ->
                request.stdin = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        return cli.execute(args);
    }

    Result execute(String... args) {
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Starts a long-running command on its own thread. */
    Cli start(String... args) {
        background = CompletableFuture.supplyAsync(() -> commandLine.execute(args));
        return this;
    }

    /** Gives access to a subcommand's object (to stop it, or to replace its stdin). */
    @SuppressWarnings("unchecked")
    <T> void subcommand(String name, Consumer<T> action) {
        action.accept((T) commandLine.getSubcommands().get(name).getCommand());
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    /** Waits up to 5 seconds until stdout contains {@code text}. */
    void awaitOut(String text) {
        Awaitility.await("stdout shows '" + text + "'").atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> out().contains(text) || background.isDone());
        if (!out().contains(text)) {
            throw new AssertionError("command ended without printing '" + text + "': exit " + background.join()
                    + "\nstdout: " + out() + "\nstderr: " + err());
        }
    }

    /** Waits (bounded) for the background command to end and returns what it did. */
    Result await() throws Exception {
        int code = background.get(5, TimeUnit.SECONDS);
        return new Result(code, out(), err());
    }

    /** What a command did. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
