package io.courier.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd unit shipped in the distribution (courier-cli/src/dist/systemd/courier.service): its key settings,
 * always; and {@code systemd-analyze verify} on it when that tool is installed (skipped otherwise).
 */
@Timeout(30)
class SystemdUnitIT {
    private static final String UNIT_NAME = "courier.service";
    private static final Path UNIT = moduleDir().resolve("../courier-cli/src/dist/systemd/" + UNIT_NAME).normalize();
    private static final String ANALYZE = "systemd-analyze";
    private static final String ANALYZE_MISSING =
            ANALYZE + " not on PATH (it comes with the systemd package): the unit was not verified";
    private static final long ANALYZE_WAIT_SECONDS = 20;

    @TempDir
    Path dir;

    @Test
    void shouldRunTheBrokerAsCourierAndStopItWithSigterm() throws IOException {
        List<String> lines = Files.readAllLines(UNIT, UTF_8).stream().map(String::strip).toList();

        assertThat(lines).contains("[Unit]", "[Service]", "[Install]", "KillSignal=SIGTERM", "Restart=on-failure",
                "User=courier");
        assertThat(lines).filteredOn(line -> line.startsWith("ExecStart=")).singleElement()
                .satisfies(line -> assertThat(List.of(line.split("\\s+"))).as("ExecStart arguments")
                        .contains("broker"));
    }

    @Test
    void shouldPassSystemdAnalyzeVerify() throws IOException, InterruptedException {
        Optional<Path> analyze = onPath(ANALYZE);
        Assumptions.assumeTrue(analyze.isPresent(), ANALYZE_MISSING);
        Path unit = runnableCopy();
        Path output = dir.resolve("verify.txt");

        ProcessBuilder builder = new ProcessBuilder(analyze.get().toString(), "verify", "--man=no", unit.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("SYSTEMD_COLORS", "0");
        builder.environment().put("SYSTEMD_PAGER", "");
        Process process = builder.start();
        if (!process.waitFor(ANALYZE_WAIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(ANALYZE + " verify still running after " + ANALYZE_WAIT_SECONDS + "s");
        }

        String said = Files.readString(output, UTF_8);
        assertThat(process.exitValue()).as("%s verify exit code; output:%n%s", ANALYZE, said).isZero();
        assertThat(said.lines()).as("%s verify output about the unit (syntax errors, unknown keys)", ANALYZE)
                .noneMatch(line -> line.contains(UNIT_NAME));
    }

    /**
     * A copy of the unit that can be verified on this machine: ExecStart runs {@code true} (the broker is not
     * installed under /opt/courier here) and User= and Group= are root (there is no courier user). Everything
     * else is as shipped.
     */
    private Path runnableCopy() throws IOException {
        Path executable = Stream.of(Path.of("/bin/true"), Path.of("/usr/bin/true")).filter(Files::isExecutable)
                .findFirst().orElseThrow(() -> new AssertionError("no true executable in /bin or /usr/bin"));
        String shipped = Files.readString(UNIT, UTF_8);
        String runnable = shipped.replaceAll("(?m)^ExecStart=\\S+", "ExecStart=" + executable)
                .replaceAll("(?m)^User=.*$", "User=root")
                .replaceAll("(?m)^Group=.*$", "Group=root");
        assertThat(runnable).as("the unit with ExecStart replaced").contains("ExecStart=" + executable + " broker");
        Path copy = dir.resolve(UNIT_NAME);
        Files.writeString(copy, runnable, UTF_8);
        return copy;
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator)).filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry, command)).filter(Files::isExecutable).findFirst();
    }

    /** The courier-it module directory: failsafe's {@code basedir}, else the working directory. */
    private static Path moduleDir() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    }
}
