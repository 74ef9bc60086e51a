package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.client.Worker;
import io.courier.client.WorkerOptions;
import io.courier.testkit.Closeables;
import io.courier.testkit.TestBroker;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class StatusCommandTest {
    @TempDir
    Path data;

    private TestBroker broker;
    private Worker worker;

    @BeforeEach
    void start() {
        broker = TestBroker.start(data);
        worker = Worker.start(broker.clientConfig(), WorkerOptions.of("echo").withCapacity(3), request -> request);
        broker.awaitWorkers(1);
    }

    @AfterEach
    void stop() {
        Closeables.closeAll(worker, broker);
    }

    @Test
    void shouldPrintServicesAsATable() {
        Cli.Result result = Cli.run("status", "--broker", broker.endpoint());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("at " + broker.endpoint())
                .containsPattern("SERVICE +WORKERS +CAPACITY +BUSY +QUEUED")
                .containsPattern("(?m)^echo +1 +3 +0 +0$")
                .containsPattern("1 service, 1 worker, \\d+ connections?, 0 queued requests");
    }

    @Test
    void shouldPrintTheRawDocumentWithJson() throws Exception {
        Cli.Result result = Cli.run("status", "--broker", broker.endpoint(), "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode status = new ObjectMapper().readTree(result.out());
        assertThat(status.path("services").get(0).path("name").asText()).isEqualTo("echo");
        assertThat(status.path("endpoints").path("frontend").asText()).isEqualTo(broker.endpoint());
    }

    @Test
    void shouldExitThreeWhenTheBrokerDoesNotAnswer() throws Exception {
        // A listening socket that never speaks ZMTP: connected, but no answer ever comes.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Cli.Result result = Cli.run("status", "--broker", "tcp://127.0.0.1:" + silent.getLocalPort(),
                    "--timeout", "300ms");

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
            assertThat(result.err()).startsWith("courier: no answer from the broker at tcp://127.0.0.1:")
                    .hasLineCount(1);
        }
    }
}
