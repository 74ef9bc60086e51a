package io.courier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

class BenchExitTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CommandSpec spec = CommandSpec.create();

    BenchExitTest() {
        CommandLine cmd = new CommandLine(spec);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
    }

    @Test
    void shouldPrintAJsonReportOnALineOfItsOwnAndATextReportAsItIs() {
        assertThat(BenchExit.report(spec, "bench x", true, () -> "{\"a\":1}")).isZero();
        assertThat(BenchExit.report(spec, "bench x", false, () -> "x: 2 lines\n  more\n")).isZero();

        assertThat(out.toString()).isEqualTo("{\"a\":1}" + System.lineSeparator() + "x: 2 lines\n  more\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void shouldEndAFailedRunWithOneLineAndTheExitCodeOfItsReason() {
        int timeout = BenchExit.report(spec, "bench x", false, () -> {
            throw new CourierException(Reason.TIMEOUT, "no reply for 10000ms");
        });
        int other = BenchExit.report(spec, "bench x", true, () -> {
            throw new IllegalStateException("broken");
        });

        assertThat(timeout).isEqualTo(BenchExit.NO_RESULT);
        assertThat(other).isEqualTo(BenchExit.FAILED);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith("bench x failed: no reply for 10000ms")
                .endsWith("bench x failed: java.lang.IllegalStateException: broken\n");
    }
}
