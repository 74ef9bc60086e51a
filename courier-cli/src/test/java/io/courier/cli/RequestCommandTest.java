package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.broker.config.BrokerConfig;
import io.courier.client.Message;
import io.courier.client.RequestHandler;
import io.courier.client.Worker;
import io.courier.testkit.Closeables;
import io.courier.testkit.TestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class RequestCommandTest {
    @TempDir
    Path data;

    private final CountDownLatch release = new CountDownLatch(1);
    private TestBroker broker;
    private Worker worker;

    @BeforeEach
    void start() {
        BrokerConfig config = TestBroker.config(data)
                .withRequests(new BrokerConfig.Requests(Duration.ofSeconds(30), Duration.ofMillis(200), 100));
        broker = TestBroker.start(config);
    }

    @AfterEach
    void stop() {
        release.countDown();
        Closeables.closeAll(worker, broker);
    }

    /** Starts the one worker a test needs and waits until the broker has it. */
    private void serve(String service, RequestHandler handler) {
        worker = Worker.start(broker.clientConfig(), service, handler);
        broker.awaitWorkers(1);
    }

    @Test
    void shouldPrintTheReplyBody() {
        serve("echo", request -> request);

        Cli.Result result = Cli.run("request", "--service", "echo", "--broker", broker.endpoint(), "hello");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("hello\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void shouldSendHeaders() {
        serve("headers", request -> Message.of(request.header("trace") + "," + request.header("user")));

        Cli.Result result = Cli.run("request", "--service", "headers", "--broker", broker.endpoint(),
                "--header", "trace=abc", "--header", "user=ann", "x");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("abc,ann\n");
    }

    @Test
    void shouldSendEachLineOfStdinAndPrintTheRepliesInOrder() {
        serve("echo", request -> request);
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            input.append("line ").append(i).append('\n');
        }

        Cli.Result result = Cli.runWithStdin(input.toString(),
                "request", "--service", "echo", "--broker", broker.endpoint(), "-");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(input.toString());
    }

    @Test
    void shouldExitOneForAnUnknownService() {
        Cli.Result result = Cli.run("request", "--service", "nope", "--broker", broker.endpoint(), "x");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("courier: no worker serves 'nope' (unknown service)\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldExitThreeWhenNoReplyComesInTime() {
        serve("stuck", request -> {
            release.await();
            return request;
        });

        // 2s: long enough that the new connection is up (so the broker, not silence, is what kept the reply)
        Cli.Result result = Cli.run("request", "--service", "stuck", "--broker", broker.endpoint(),
                "--timeout", "2s", "x");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.err()).startsWith("courier: no reply from 'stuck' within 2s").hasLineCount(1);
    }

    @Test
    void shouldExitOneWithTheWorkersReasonWhenTheServiceFails() {
        serve("failing", request -> {
            throw new IllegalStateException("disk full");
        });

        Cli.Result result = Cli.run("request", "--service", "failing", "--broker", broker.endpoint(), "x");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).startsWith("courier: service 'failing' failed: ").contains("disk full")
                .doesNotContain("code 500").hasLineCount(1);
    }
}
