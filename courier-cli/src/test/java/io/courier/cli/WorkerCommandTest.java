package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.core.CourierException;
import io.courier.testkit.Closeables;
import io.courier.testkit.TestBroker;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class WorkerCommandTest {
    @TempDir
    Path data;

    private TestBroker broker;
    private Client client;
    private Cli worker;

    @BeforeEach
    void start() {
        broker = TestBroker.start(data);
        client = Client.connect(broker.clientConfig());
    }

    @AfterEach
    void stop() throws Exception {
        if (worker != null) {
            worker.<WorkerCommand>subcommand("worker", WorkerCommand::stop);
            worker.await();
        }
        Closeables.closeAll(client, broker);
    }

    @Test
    void shouldEchoRequestsUntilStopped() throws Exception {
        worker = new Cli().start("worker", "--service", "echo", "--echo", "--broker", broker.endpoint());
        worker.awaitOut("worker registered: service 'echo'");
        broker.awaitWorkers(1);

        assertThat(request("echo", "hello")).isEqualTo("hello");

        worker.<WorkerCommand>subcommand("worker", WorkerCommand::stop);
        Cli.Result result = worker.await();
        worker = null;
        assertThat(result.exitCode()).as(result.toString()).isZero();
        broker.awaitWorkers(0);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void shouldRunTheCommandForEachRequest() throws Exception {
        worker = new Cli().start("worker", "--service", "upper", "--exec", "tr a-z A-Z", "--capacity", "2",
                "--broker", broker.endpoint());
        worker.awaitOut("worker registered: service 'upper' (capacity 2");
        broker.awaitWorkers(1);

        assertThat(request("upper", "hello")).isEqualTo("HELLO");
        assertThat(request("upper", "again")).isEqualTo("AGAIN");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void shouldFailTheRequestWithTheCommandsStderr() {
        worker = new Cli().start("worker", "--service", "broken", "--exec", "echo 'no such file' >&2; exit 2",
                "--broker", broker.endpoint());
        worker.awaitOut("worker registered");
        broker.awaitWorkers(1);

        assertThatThrownBy(() -> request("broken", "x"))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(CourierException.class)
                .hasMessageContaining("no such file")
                .satisfies(e -> assertThat(((CourierException) e).reason())
                        .isEqualTo(CourierException.Reason.SERVICE_ERROR));
    }

    private String request(String service, String body) throws Exception {
        return client.request(service, Message.of(body)).get(5, TimeUnit.SECONDS).bodyAsString();
    }
}
