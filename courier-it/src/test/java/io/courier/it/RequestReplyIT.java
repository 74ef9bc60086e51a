package io.courier.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.client.Worker;
import io.courier.core.CourierException.Reason;
import io.courier.testkit.Closeables;
import io.courier.testkit.Failures;
import io.courier.testkit.TestBroker;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A request through a real broker to a real worker and back, over loopback TCP. */
@Timeout(10)
class RequestReplyIT {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @TempDir
    Path data;
    private TestBroker broker;
    private Worker worker;
    private Client client;
    private final CompletableFuture<Message> seenByWorker = new CompletableFuture<>();

    @BeforeEach
    void start() {
        broker = TestBroker.start(data);
        worker = Worker.start(broker.clientConfig().withName("echo-worker"), "echo", request -> {
            seenByWorker.complete(request);
            if (request.bodyAsString().equals("fail")) {
                throw new IllegalStateException("handler refused 'fail'");
            }
            return new Message(request.headers(), request.body()).withHeader("handled-by", "echo-worker");
        });
        client = Client.connect(broker.clientConfig().withName("echo-client"));
    }

    @AfterEach
    void stop() {
        Closeables.closeAll(client, worker, broker);
    }

    @Test
    void shouldEchoBodyAndHeadersEndToEnd() throws Exception {
        Message request = new Message(Map.of(Message.TRACEPARENT, TRACEPARENT, Message.CONTENT_TYPE, "text/plain",
                "x-tenant", "acme"), "hello courier".getBytes(UTF_8));

        Message reply = client.request("echo", request).get(5, TimeUnit.SECONDS);

        assertThat(reply.bodyAsString()).isEqualTo("hello courier");
        assertThat(reply.headers()).containsEntry(Message.TRACEPARENT, TRACEPARENT)
                .containsEntry(Message.CONTENT_TYPE, "text/plain")
                .containsEntry("x-tenant", "acme")
                .containsEntry("handled-by", "echo-worker");
        Message atWorker = seenByWorker.get(1, TimeUnit.SECONDS);
        assertThat(atWorker.headers()).isEqualTo(request.headers());
        assertThat(atWorker.body()).isEqualTo(request.body());
    }

    @Test
    void shouldCarryEmptyAndBinaryBodies() throws Exception {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }

        Message empty = client.request("echo", new byte[0]).get(5, TimeUnit.SECONDS);
        Message bytes = client.request("echo", binary).get(5, TimeUnit.SECONDS);

        assertThat(empty.body()).isEmpty();
        assertThat(bytes.body()).isEqualTo(binary);
    }

    @Test
    void shouldFailWithServiceErrorWhenHandlerThrows() {
        CompletableFuture<Message> reply = client.request("echo", Message.of("fail"));

        var failure = Failures.courierFailure(reply, ofSeconds(5));

        assertThat(failure.reason()).isEqualTo(Reason.SERVICE_ERROR);
        assertThat(failure.getMessage()).contains("handler refused 'fail'");
    }

    @Test
    void shouldReportServiceAndWorkerInStatus() throws Exception {
        client.request("echo", Message.of("warm up")).get(5, TimeUnit.SECONDS);

        String status = client.status().get(5, TimeUnit.SECONDS);

        assertThat(status).containsPattern("\"name\"\\s*:\\s*\"echo\"")
                .containsPattern("\"workers\"\\s*:\\s*1\\b")
                .containsPattern("\"clients\"\\s*:\\s*[1-9]");
    }
}
