package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
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

    @Test
    void shouldExitTwoNamingTheKeyOfABadLogLevelOrFormat() {
        Cli.Result level = Cli.run("broker", "--log-level", "verbose", "--data", data.toString());
        Cli.Result format = Cli.run("broker", "--log-format", "xml", "--data", data.toString());

        assertThat(level.exitCode()).as(level.toString()).isEqualTo(2);
        assertThat(level.err()).startsWith("courier: log.level: must be one of TRACE, DEBUG, INFO, WARN, ERROR")
                .contains("'verbose'").hasLineCount(1);
        assertThat(format.exitCode()).as(format.toString()).isEqualTo(2);
        assertThat(format.err()).startsWith("courier: log.format: must be one of text, json").hasLineCount(1);
    }

    @Test
    void shouldReloadWhenTheConfigFileChangesAndKeepTheOldConfigWhenItIsInvalid() throws Exception {
        Path file = Files.writeString(data.resolve("courier.yaml"), config("off", "20s", 3));
        Cli broker = new Cli().start("broker", "--config", file.toString(), "--frontend", ANY, "--publish", ANY,
                "--subscribe", ANY, "--data", data.resolve("store").toString(), "--log-level", "warn");
        broker.awaitOut("broker running");

        Files.writeString(file, config("off", "0ms", 3));
        broker.awaitOut("config reloaded (file changed): applied requests.unknownServiceWait; needs a restart: none");
        Files.writeString(file, config("off", "0ms", 0));
        broker.awaitOut("config rejected (file changed), previous configuration kept: heartbeat.liveness: must be"
                + " >= 1, got 0");
        Files.writeString(file, config("127.0.0.1:0", "0ms", 3));
        broker.awaitOut("config reloaded (file changed): applied none; needs a restart: endpoints.http");

        broker.<BrokerCommand>subcommand("broker", BrokerCommand::stop);
        Cli.Result result = broker.await();
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    private static String config(String http, String unknownServiceWait, int liveness) {
        return "endpoints:\n  http: " + http + "\nrequests:\n  unknownServiceWait: " + unknownServiceWait
                + "\nheartbeat:\n  liveness: " + liveness + "\n";
    }
}
