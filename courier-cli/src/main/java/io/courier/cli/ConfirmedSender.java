package io.courier.cli;

import io.courier.core.CourierException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;

/**
 * What enqueue and publish share, on the command's thread: sends the BODY argument, or with {@code -} each line of
 * stdin, and waits until the broker confirms each. Reading stdin, up to {@link #WINDOW} await confirmation at once;
 * confirmations are taken in input order as soon as they are in, so {@code --show-seq} keeps up with a slow
 * producer. Stops at the first failure with one line on stderr and its exit code.
 */
final class ConfirmedSender {
    /** Sends awaiting confirmation at once when reading stdin; they are still confirmed in input order. */
    static final int WINDOW = 256;
    /** Extra wait beyond the client's own deadline, in case its timer is late. */
    static final Duration GRACE = Duration.ofSeconds(2);

    /** Sends one message. */
    interface Send {
        /**
         * Sends {@code text}: the BODY argument when {@code line} is 0, else stdin's line number {@code line} (from
         * 1); the future completes with the seq the broker gave it.
         */
        CompletableFuture<Long> send(String text, long line);
    }

    /** Says what failed. */
    interface Failure {
        /**
         * The stderr line (without {@code courier: }) for {@code failure}: {@code read} is 0 for the BODY argument,
         * else the lines of stdin read so far, of which {@code confirmed} were confirmed.
         */
        String line(CourierException failure, long read, long confirmed);
    }

    private final CommandLine cmd;
    private final Duration timeout;
    private final boolean showSeq;

    /** {@code timeout} is the client's deadline for each confirmation; {@code showSeq} prints each seq. */
    ConfirmedSender(CommandLine cmd, Duration timeout, boolean showSeq) {
        this.cmd = cmd;
        this.timeout = timeout;
        this.showSeq = showSeq;
    }

    /** Sends {@code body}, or each line of {@code stdin} when it is {@code -}; returns the exit code. */
    int run(String body, InputStream stdin, Send send, Failure failure) throws IOException {
        if (!"-".equals(body)) {
            return confirm(send.send(body, 0), 0, 0, failure);
        }
        ArrayDeque<CompletableFuture<Long>> inFlight = new ArrayDeque<>();
        BufferedReader lines = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        long read = 0;
        long confirmed = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            read++;
            inFlight.add(send.send(line, read));
            while (!inFlight.isEmpty() && (inFlight.size() >= WINDOW || inFlight.peek().isDone())) {
                int code = confirm(inFlight.poll(), read, confirmed, failure);
                if (code != ExitCodes.OK) {
                    return code;
                }
                confirmed++;
            }
        }
        while (!inFlight.isEmpty()) {
            int code = confirm(inFlight.poll(), read, confirmed, failure);
            if (code != ExitCodes.OK) {
                return code;
            }
            confirmed++;
        }
        return ExitCodes.OK;
    }

    /** Waits for one confirmation and prints its seq if asked; on failure prints one line and returns its code. */
    private int confirm(CompletableFuture<Long> pending, long read, long confirmed, Failure failure) {
        try {
            long seq = pending.get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
            if (showSeq) {
                PrintWriter out = cmd.getOut();
                out.println(seq);
                out.flush();
            }
            return ExitCodes.OK;
        } catch (ExecutionException | TimeoutException e) {
            CourierException cause = Errors.unwrap(e) instanceof CourierException c ? c
                    : new CourierException(CourierException.Reason.TIMEOUT, "no confirmation");
            Errors.print(cmd, failure.line(cause, read, confirmed));
            return ExitCodes.of(cause.reason());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CourierException(CourierException.Reason.CLOSED, "interrupted while waiting for a confirmation");
        }
    }
}
