package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

@Timeout(10)
class ConfirmedSenderTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CommandLine cmd = new CommandLine(CommandSpec.create());
    /** What was sent: the text and its line, as "line:text". */
    private final List<String> sent = new ArrayList<>();

    ConfirmedSenderTest() {
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
    }

    private ConfirmedSender sender(boolean showSeq) {
        return new ConfirmedSender(cmd, Duration.ofSeconds(1), showSeq);
    }

    /** Confirms each message with seq 100 + its line, except {@code failing} (0: none), which fails with {@code f}. */
    private ConfirmedSender.Send confirming(long failing, Throwable f) {
        return (text, line) -> {
            sent.add(line + ":" + text);
            return line == failing && f != null ? CompletableFuture.failedFuture(f)
                    : CompletableFuture.completedFuture(100 + line);
        };
    }

    private static ConfirmedSender.Failure describing() {
        return (failure, read, confirmed) -> "read " + read + ", confirmed " + confirmed + ": " + failure.reason();
    }

    private static InputStream stdin(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldSendTheBodyAsLineZeroAndPrintItsSeqWhenAsked() throws Exception {
        int code = sender(true).run("hello", stdin("unread\n"), confirming(0, null), describing());

        assertThat(code).isZero();
        assertThat(sent).containsExactly("0:hello");
        assertThat(out.toString()).isEqualTo("100\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void shouldSendEachLineOfStdinNumberedFromOneAndConfirmInOrder() throws Exception {
        StringBuilder input = new StringBuilder();
        StringBuilder seqs = new StringBuilder();
        for (int i = 1; i <= ConfirmedSender.WINDOW + 10; i++) {
            input.append("line ").append(i).append('\n');
            seqs.append(100 + i).append('\n');
        }

        int code = sender(true).run("-", stdin(input.toString()), confirming(0, null), describing());

        assertThat(code).isZero();
        assertThat(sent).hasSize(ConfirmedSender.WINDOW + 10).startsWith("1:line 1", "2:line 2");
        assertThat(out.toString()).isEqualTo(seqs.toString());
    }

    @Test
    void shouldPrintNothingWithoutShowSeq() throws Exception {
        int code = sender(false).run("-", stdin("a\nb\n"), confirming(0, null), describing());

        assertThat(code).isZero();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldStopAtTheFirstFailureWithOneLineAndTheExitCodeOfItsReason() throws Exception {
        CourierException refused = new CourierException(Reason.REFUSED, "not allowed");

        int code = sender(true).run("-", stdin("a\nb\nc\nd\n"), confirming(3, refused), describing());

        assertThat(code).isEqualTo(ExitCodes.REFUSED);
        assertThat(out.toString()).isEqualTo("101\n102\n");
        assertThat(err.toString()).isEqualTo("courier: read 3, confirmed 2: REFUSED\n");
    }

    @Test
    void shouldTakeAFailureOtherThanCouriersAsATimeout() throws Exception {
        int code = sender(false).run("x", stdin(""), confirming(0, new IllegalStateException("odd")), describing());

        assertThat(code).isEqualTo(ExitCodes.NO_REPLY);
        assertThat(err.toString()).isEqualTo("courier: read 0, confirmed 0: TIMEOUT\n");
    }
}
