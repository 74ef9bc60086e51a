package io.courier.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Python script started by {@link PyZmq#run}: waits for it with a bound, reads its combined output,
 * and kills it on close. Thread-safe (the JDK's {@link Process} is); every wait is bounded.
 */
public final class PyProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PyProcess.class);
    private static final long KILL_WAIT_SECONDS = 5;

    private final String name;
    private final Process process;
    private final Path dir;
    private final Path output;

    PyProcess(String name, Process process, Path dir, Path output) {
        this.name = name;
        this.process = process;
        this.dir = dir;
        this.output = output;
    }

    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits up to {@code timeout} for the script to end and returns its exit code.
     *
     * @throws AssertionError when it is still running at the end (it is then killed); the message holds its output
     */
    public int awaitExit(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
        throw new AssertionError(name + " still running after " + timeout.toMillis() + "ms; output:\n" + output());
    }

    /** Everything the script wrote to stdout and stderr so far. */
    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the output of " + name, e);
        }
    }

    /** Kills the script if it is still running (bounded wait) and deletes its temporary files. Idempotent. */
    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("python files not deleted dir={} error={}", dir, e.toString());
        }
    }

    private void kill() {
        if (!process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("python did not end after kill script={} pid={}", name, process.pid());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "PyProcess[" + name + ", pid=" + process.pid() + "]";
    }
}
