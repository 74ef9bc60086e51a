package io.courier.it;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.client.RequestOptions;
import io.courier.client.Worker;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage.Disconnect;
import io.courier.protocol.codec.NativeMessage.Done;
import io.courier.protocol.codec.NativeMessage.Heartbeat;
import io.courier.protocol.codec.NativeMessage.Hello;
import io.courier.protocol.codec.NativeMessage.Job;
import io.courier.protocol.codec.NativeMessage.Ready;
import io.courier.testkit.Closeables;
import io.courier.testkit.FakePeer;
import io.courier.testkit.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that dies or leaves while it holds a request: the broker gives the request to another worker, and the
 * client gets its reply within its deadline. The failing worker is a scripted native peer (the Worker API has no
 * way to crash), the healthy one a real {@link Worker}.
 */
@Timeout(15)
class WorkerFailoverIT {
    private static final RequestOptions ONE_ATTEMPT_OF_5S = RequestOptions.of(Duration.ofSeconds(5), 0);

    @TempDir
    Path data;
    private TestBroker broker;
    private Client client;
    private FakePeer fakeWorker;
    private Worker realWorker;
    private final CountDownLatch realStarted = new CountDownLatch(1);
    private final CountDownLatch releaseReal = new CountDownLatch(1);

    @BeforeEach
    void start() {
        broker = TestBroker.start(data);
        client = Client.connect(broker.clientConfig());
        fakeWorker = FakePeer.connect(broker.endpoint()).heartbeatEvery(TestBroker.HEARTBEAT, new Heartbeat());
        fakeWorker.send(new Hello(Headers.of(Map.of("name", "doomed", "version", "1"))));
        fakeWorker.send(new Ready("echo", 1, Headers.EMPTY));
        broker.awaitWorkers(1);
    }

    @AfterEach
    void stop() {
        Closeables.closeAll(client, realWorker, fakeWorker, broker);
    }

    @Test
    void shouldCompleteRequestOnAnotherWorkerWhenWorkerCrashesMidRequest() throws Exception {
        CompletableFuture<Message> reply = client.request("echo", Message.of("job-1"), ONE_ATTEMPT_OF_5S);
        Job job = fakeWorker.expectNative(Job.class, ofSeconds(3));
        assertThat(text(job.body())).isEqualTo("job-1");
        startRealWorker(false);
        fakeWorker.keepAliveUntil("two workers", () -> broker.workers() == 2, ofSeconds(3));

        fakeWorker.close();   // no DISCONNECT, no reply: the broker must notice the silence

        assertThat(reply.get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("real:job-1");
    }

    @Test
    void shouldRequeueRequestWhenWorkerDisconnectsMidRequest() throws Exception {
        CompletableFuture<Message> reply = client.request("echo", Message.of("job-2"), ONE_ATTEMPT_OF_5S);
        fakeWorker.expectNative(Job.class, ofSeconds(3));
        startRealWorker(false);
        fakeWorker.keepAliveUntil("two workers", () -> broker.workers() == 2, ofSeconds(3));

        fakeWorker.send(new Disconnect("leaving"));

        assertThat(reply.get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("real:job-2");
    }

    @Test
    void shouldIgnoreLateReplyFromWorkerDeclaredDead() throws Exception {
        CompletableFuture<Message> reply = client.request("echo", Message.of("job-3"), ONE_ATTEMPT_OF_5S);
        Job job = fakeWorker.expectNative(Job.class, ofSeconds(3));
        startRealWorker(true);
        fakeWorker.heartbeatOff();   // silent from now on: the broker expires it and re-queues the job

        assertThat(realStarted.await(3, TimeUnit.SECONDS)).as("job handed to the real worker").isTrue();
        fakeWorker.send(new Done(job.jobId(), Headers.EMPTY, "stale".getBytes(StandardCharsets.UTF_8)));
        fakeWorker.expectNative(Disconnect.class, ofSeconds(2));   // "unknown worker"
        releaseReal.countDown();

        assertThat(reply.get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("real:job-3");
        assertThat(reply).isCompleted();
    }

    private void startRealWorker(boolean holdUntilReleased) {
        realWorker = Worker.start(broker.clientConfig().withName("healthy"), "echo", request -> {
            realStarted.countDown();
            if (holdUntilReleased && !releaseReal.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            return Message.of("real:" + request.bodyAsString());
        });
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
