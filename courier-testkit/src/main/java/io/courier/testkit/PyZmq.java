package io.courier.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Python scripts that use pyzmq (libzmq) as peers in interoperability tests. Finds {@code /usr/bin/python3},
 * checks once that {@code import zmq} works, and starts scripts taken from the test classpath.
 *
 * <p>Thread-safe. {@link #isAvailable()} blocks at most 10 seconds, once per JVM; {@link #run} returns at once.
 */
public final class PyZmq {
    /** The interpreter used: the system one, where Debian's python3-zmq installs pyzmq. */
    public static final Path PYTHON = Path.of("/usr/bin/python3");
    /** Why a test was skipped when pyzmq is missing. */
    public static final String MISSING = "pyzmq not installed: apt-get install python3-zmq";

    private static final Logger LOG = LoggerFactory.getLogger(PyZmq.class);
    private static final long PROBE_TIMEOUT_SECONDS = 10;

    private PyZmq() {
    }

    /** Computed once, on first use. */
    private static final class Probe {
        static final boolean AVAILABLE = probe();
    }

    /** True when {@link #PYTHON} exists and imports zmq. */
    public static boolean isAvailable() {
        return Probe.AVAILABLE;
    }

    /** Skips the calling test (JUnit assumption) with {@link #MISSING} when pyzmq cannot be used. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(isAvailable(), MISSING);
    }

    /**
     * Starts {@code python3 -u <script> <args...>}, the script copied out of the classpath resource
     * {@code resource} (like {@code "pyzmq/mdp_client.py"}). Its stdout and stderr go to one file, read with
     * {@link PyProcess#output()}. Close the returned handle to stop the process if it is still running.
     *
     * @throws IllegalArgumentException when the resource is not on the classpath
     * @throws UncheckedIOException     when the script cannot be written or the process cannot start
     */
    public static PyProcess run(String resource, String... args) {
        try (InputStream in = PyZmq.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no such classpath resource: " + resource);
            }
            Path dir = Files.createTempDirectory("courier-pyzmq");
            Path script = dir.resolve(Path.of(resource).getFileName());
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            Path output = dir.resolve("output.txt");
            List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-u", script.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().remove("PYTHONPATH");
            builder.environment().remove("PYTHONHOME");
            Process process = builder.start();
            LOG.debug("python started script={} pid={} args={}", resource, process.pid(), List.of(args));
            return new PyProcess(resource, process, dir, output);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + resource, e);
        }
    }

    private static boolean probe() {
        if (!Files.isExecutable(PYTHON)) {
            LOG.info("pyzmq unavailable cause=no-python path={}", PYTHON);
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import zmq").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.info("pyzmq unavailable cause=probe-timeout");
                return false;
            }
            boolean ok = p.exitValue() == 0;
            LOG.info("pyzmq probe available={}", ok);
            return ok;
        } catch (IOException e) {
            LOG.info("pyzmq unavailable cause={}", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
