package io.courier.cli;

import io.courier.client.Message;
import io.courier.client.RequestHandler;
import io.courier.core.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a request by running a shell command: the request body is its stdin, its stdout the reply. A non-zero
 * exit fails the request with the command's stderr as the reason; so does running past the timeout (the process
 * is killed). Runs on the worker's handler threads, one process per request; thread-safe.
 */
final class ExecHandler implements RequestHandler, AutoCloseable {
    private static final int MAX_REASON_CHARS = 500;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final List<String> shell;
    private final Duration timeout;
    /** Feeds stdin and drains stderr beside the handler thread, so a full pipe never blocks the process. */
    private final ExecutorService pipes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "courier-exec-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    ExecHandler(String command, Duration timeout) {
        this.shell = shellCommand(command);
        this.timeout = timeout;
    }

    /** {@code sh -c CMD} on POSIX, {@code cmd /c CMD} on Windows. */
    static List<String> shellCommand(String command) {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return windows ? List.of("cmd", "/c", command) : List.of("sh", "-c", command);
    }

    @Override
    public Message handle(Message request) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(shell).start();
        try {
            CompletableFuture<Void> stdin = CompletableFuture.runAsync(() -> feed(process, request.body()), pipes);
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(
                    () -> readAll(process.getErrorStream()), pipes);
            CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(
                    () -> readAll(process.getInputStream()), pipes);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("command timed out after " + Durations.format(timeout) + ": " + shell.get(2));
            }
            byte[] out = await(stdout);
            await(stdin);
            if (process.exitValue() != 0) {
                String reason = new String(await(stderr), StandardCharsets.UTF_8).strip();
                if (reason.length() > MAX_REASON_CHARS) {
                    reason = reason.substring(0, MAX_REASON_CHARS) + "...";
                }
                throw new IOException("command exited with " + process.exitValue()
                        + (reason.isEmpty() ? "" : ": " + reason));
            }
            return Message.of(out);
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static void feed(Process process, byte[] body) {
        try (OutputStream in = process.getOutputStream()) {
            in.write(body);
        } catch (IOException e) {
            // the command exited without reading all of its input: its exit code tells
        }
    }

    private static byte[] readAll(InputStream stream) {
        try (stream) {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pipes close when the process exits, so this waits only for the reader to finish. */
    private static <T> T await(CompletableFuture<T> pipe) throws IOException, InterruptedException {
        try {
            return pipe.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("reading the command's output failed: " + Errors.message(e), e);
        } catch (TimeoutException e) {
            throw new IOException("the command's output did not close (a background process holding it?)", e);
        }
    }

    @Override
    public void close() {
        pipes.shutdownNow();
    }
}
