package io.courier.it;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.client.Worker;
import io.courier.testkit.Closeables;
import io.courier.testkit.PyProcess;
import io.courier.testkit.PyZmq;
import io.courier.testkit.TestBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with libzmq: MDP/0.1 clients and workers written in Python on pyzmq, from RFC 7 alone
 * (src/test/resources/pyzmq), against the broker and Courier's own Client and Worker. Skipped when pyzmq is
 * missing.
 */
@Timeout(20)
class PyZmqInteropIT {
    private static final String CLIENT = "pyzmq/mdp_client.py";
    private static final String WORKER = "pyzmq/mdp_worker.py";
    private static final String HEARTBEAT_MS = String.valueOf(TestBroker.HEARTBEAT.toMillis());

    @TempDir
    Path data;
    private TestBroker broker;
    private Client client;
    private Worker worker;
    private final List<PyProcess> scripts = new ArrayList<>();

    @BeforeEach
    void start() {
        PyZmq.assumeAvailable();
        broker = TestBroker.start(data);
    }

    @AfterEach
    void stop() {
        List<AutoCloseable> all = new ArrayList<>(scripts);
        all.add(client);
        all.add(worker);
        all.add(broker);
        Closeables.closeAll(all.toArray(AutoCloseable[]::new));
    }

    @Test
    void shouldServeCourierClientFromPyzmqWorker() throws Exception {
        PyProcess pyWorker = script(WORKER, broker.endpoint(), "py-echo", "--requests", "2", "--timeout", "10",
                "--heartbeat-ms", HEARTBEAT_MS, "--prefix", "py:");
        broker.awaitWorkers(1);
        client = Client.connect(broker.clientConfig());

        Message first = client.request("py-echo", Message.of("one")).get(5, TimeUnit.SECONDS);
        Message second = client.request("py-echo", Message.of("two")).get(5, TimeUnit.SECONDS);

        assertThat(first.bodyAsString()).isEqualTo("py:one");
        assertThat(second.bodyAsString()).isEqualTo("py:two");
        assertThat(pyWorker.awaitExit(ofSeconds(5))).as("worker exit code; output:%n%s", pyWorker.output())
                .isZero();
    }

    @Test
    void shouldServePyzmqClientFromCourierWorker() {
        worker = Worker.start(broker.clientConfig(), "greeter",
                request -> Message.of("hello " + request.bodyAsString()));
        broker.awaitWorkers(1);

        PyProcess pyClient = script(CLIENT, broker.endpoint(), "greeter", "pyzmq", "--count", "3",
                "--timeout-ms", "3000", "--retries", "0");

        assertThat(pyClient.awaitExit(ofSeconds(10))).as("client exit code; output:%n%s", pyClient.output()).isZero();
        assertThat(pyClient.output().lines().filter(line -> line.equals("reply: hello pyzmq")).count()).isEqualTo(3);
    }

    @Test
    void shouldRoutePyzmqClientToPyzmqWorkerThroughBroker() {
        PyProcess pyWorker = script(WORKER, broker.endpoint(), "py-echo", "--requests", "1", "--timeout", "10",
                "--heartbeat-ms", HEARTBEAT_MS);
        broker.awaitWorkers(1);

        PyProcess pyClient = script(CLIENT, broker.endpoint(), "py-echo", "first frame", "second frame",
                "--timeout-ms", "3000", "--retries", "0");

        assertThat(pyClient.awaitExit(ofSeconds(10))).as("client exit code; output:%n%s", pyClient.output()).isZero();
        assertThat(pyClient.output().lines()).containsSubsequence("reply: first frame", "reply: second frame");
        assertThat(pyWorker.awaitExit(ofSeconds(5))).as("worker exit code; output:%n%s", pyWorker.output())
                .isZero();
    }

    @Test
    void shouldAnswerMmiServiceLookupsFromPyzmqClient() {
        worker = Worker.start(broker.clientConfig(), "greeter", request -> request);
        broker.awaitWorkers(1);

        assertThat(mmi("mmi.service", "greeter")).isEqualTo("reply: 200");
        assertThat(mmi("mmi.service", "nobody")).isEqualTo("reply: 404");
        assertThat(mmi("mmi.nonsense", "greeter")).isEqualTo("reply: 501");
    }

    @Test
    void shouldJoinMultiFrameMdpReplyIntoOneBodyForCourierClient() throws Exception {
        script(WORKER, broker.endpoint(), "py-echo", "--requests", "1", "--timeout", "10",
                "--heartbeat-ms", HEARTBEAT_MS, "--prefix", "py:", "--extra-frame", "+tail");
        broker.awaitWorkers(1);
        client = Client.connect(broker.clientConfig());

        Message reply = client.request("py-echo", Message.of("abc")).get(5, TimeUnit.SECONDS);

        assertThat(reply.bodyAsString()).isEqualTo("py:abc+tail");
    }

    private String mmi(String service, String body) {
        PyProcess lookup = script(CLIENT, broker.endpoint(), service, body, "--timeout-ms", "3000", "--retries", "0");
        assertThat(lookup.awaitExit(ofSeconds(10))).as("mmi client exit code; output:%n%s", lookup.output())
                .isZero();
        return lookup.output().strip();
    }

    private PyProcess script(String resource, String... args) {
        PyProcess process = PyZmq.run(resource, args);
        scripts.add(process);
        return process;
    }
}
