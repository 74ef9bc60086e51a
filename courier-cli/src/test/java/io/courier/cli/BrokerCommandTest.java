package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class BrokerCommandTest {
    private static final String ANY = "tcp://127.0.0.1:*";

    @TempDir
    Path data;

    @Test
    void shouldExitTwoOnOneLineWhenThePortIsInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String frontend = "tcp://127.0.0.1:" + taken.getLocalPort();

            Cli.Result result = Cli.run("broker", "--frontend", frontend, "--publish", ANY, "--subscribe", ANY,
                    "--http", "off", "--data", data.toString());

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
            assertThat(result.err()).startsWith("courier: ").contains(String.valueOf(taken.getLocalPort()))
                    .hasLineCount(1);
            assertThat(result.out()).isEmpty();
        }
    }

    @Test
    void shouldExitTwoNamingTheKeyOfABadValue() {
        Cli.Result result = Cli.run("broker", "--frontend", "nonsense", "--data", data.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).startsWith("courier: ").contains("endpoints.frontend").contains("nonsense")
                .hasLineCount(1);
    }

    @Test
    void shouldPrintTheBoundEndpointsAndStopCleanly() throws Exception {
        Cli broker = new Cli().start("broker", "--frontend", ANY, "--publish", ANY, "--subscribe", ANY,
                "--http", "off", "--data", data.toString());
        broker.awaitOut("broker running");

        broker.<BrokerCommand>subcommand("broker", BrokerCommand::stop);
        Cli.Result result = broker.await();

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .containsPattern("(?m)^frontend +tcp://127\\.0\\.0\\.1:\\d+$")
                .containsPattern("(?m)^publish +tcp://127\\.0\\.0\\.1:\\d+$")
                .containsPattern("(?m)^subscribe +tcp://127\\.0\\.0\\.1:\\d+$")
                .containsPattern("(?m)^http +off$");
    }
}
