package io.courier.client;

import static io.courier.client.TestSupport.failureOf;
import static io.courier.client.TestSupport.fastConfig;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.client.FakeBroker.Received;
import io.courier.protocol.Command;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Hello;
import io.courier.protocol.codec.NativeMessage.Reply;
import io.courier.protocol.codec.NativeMessage.Request;
import io.courier.protocol.codec.NativeMessage.Status;
import io.courier.protocol.codec.NativeMessage.StatusReply;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class ClientTest {
    private FakeBroker broker;
    private Client client;

    @BeforeEach
    void start() {
        broker = FakeBroker.start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        broker.close();
    }

    private static Reply echo(Received in) {
        Request request = in.as(Request.class);
        Map<String, String> headers = new LinkedHashMap<>(request.headers().asMap());
        headers.put("x-served-by", "fake");
        byte[] body = ("echo:" + new String(request.body(), UTF_8)).getBytes(UTF_8);
        return new Reply(request.correlationId(), Headers.of(headers), body);
    }

    @Test
    void shouldRoundTripRequestWithHeaders() throws Exception {
        broker.respondWith(ClientTest::echo);
        client = Client.connect(fastConfig(broker.endpoint()));

        Message reply = client.request("echo", Message.of("hi").withHeader(Message.TRACEPARENT, "00-abc-def-01"))
                .get(5, TimeUnit.SECONDS);

        assertThat(reply.bodyAsString()).isEqualTo("echo:hi");
        assertThat(reply.headers()).containsEntry(Message.TRACEPARENT, "00-abc-def-01")
                .containsEntry("x-served-by", "fake");
        Hello hello = broker.expect(Command.HELLO).as(Hello.class);
        assertThat(hello.properties().asMap()).containsEntry("name", "test").containsEntry("version", "1");
        Request sent = broker.expect(Command.REQUEST).as(Request.class);
        assertThat(sent.service()).isEqualTo("echo");
        assertThat(sent.timeoutMillis()).isBetween(1, 5_000);
    }

    @Test
    void shouldSendRequestsAsBatchesOnlyOnceTheBrokerSaysItTakesThem() throws Exception {
        broker.respondWith(ClientTest::echo);
        client = Client.connect(fastConfig(broker.endpoint()));
        assertThat(client.request("echo", Message.of("a")).get(5, TimeUnit.SECONDS).bodyAsString())
                .isEqualTo("echo:a");
        assertThat(broker.batches()).as("this broker's WELCOME does not have batch=1").isZero();
        assertThat(broker.expect(Command.HELLO).as(Hello.class).properties().get("batch")).isEqualTo("1");
        client.close();

        FakeBroker batching = FakeBroker.start(Map.of("batch", "1"));
        try {
            batching.respondWith(ClientTest::echo);
            client = Client.connect(fastConfig(batching.endpoint()));
            batching.expect(Command.HELLO);
            await().atMost(ofSeconds(5)).until(client::isConnected);
            List<CompletableFuture<Message>> replies = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                replies.add(client.request("echo", Message.of("b" + i)));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(replies.get(i).get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("echo:b" + i);
            }
            assertThat(batching.batches()).as("BATCH messages the broker received").isBetween(1, 50);
        } finally {
            batching.close();
        }
    }

    @Test
    void shouldMatchThousandConcurrentRepliesSentInShuffledOrder() throws Exception {
        // a generous liveness window: a CPU stall must not reconnect and resend, which would blur the count below
        client = Client.connect(fastConfig(broker.endpoint()).withHeartbeat(ofMillis(100), 30));
        Map<String, CompletableFuture<Message>> futures = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService senders = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            int thread = t;
            senders.execute(() -> {
                awaitQuietly(go);
                for (int i = 0; i < 125; i++) {
                    String body = "t" + thread + "-" + i;
                    futures.put(body, client.request("echo", Message.of(body)));
                }
            });
        }
        go.countDown();

        List<Received> requests = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            requests.add(broker.expect(Command.REQUEST));
        }
        Collections.shuffle(requests, new Random(42));
        Set<Long> ids = new HashSet<>();
        for (Received in : requests) {
            Request request = in.as(Request.class);
            ids.add(request.correlationId());
            broker.send(in.identity(), new Reply(request.correlationId(), Headers.EMPTY,
                    ("re:" + new String(request.body(), UTF_8)).getBytes(UTF_8)));
        }

        senders.shutdown();
        assertThat(senders.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ids).hasSize(1_000);
        assertThat(futures).hasSize(1_000);
        for (Map.Entry<String, CompletableFuture<Message>> e : futures.entrySet()) {
            assertThat(e.getValue().get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("re:" + e.getKey());
        }
    }

    @Test
    void shouldRetryWithSameCorrelationIdUntilAnswered() throws Exception {
        client = Client.connect(fastConfig(broker.endpoint()));

        CompletableFuture<Message> reply = client.request("slow", Message.of("x"), RequestOptions.of(ofMillis(300), 2));
        Request first = broker.expect(Command.REQUEST).as(Request.class);
        Received again = broker.expect(Command.REQUEST);
        Request second = again.as(Request.class);
        assertThat(reply).isNotDone();
        broker.send(again.identity(), new Reply(second.correlationId(), Headers.EMPTY, "late".getBytes(UTF_8)));

        assertThat(second.correlationId()).isEqualTo(first.correlationId());
        assertThat(reply.get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("late");
    }

    @Test
    void shouldFailWithTimeoutAfterTheLastRetry() {
        client = Client.connect(fastConfig(broker.endpoint()));

        CompletableFuture<Message> reply = client.request("slow", Message.of("x"), RequestOptions.of(ofMillis(100), 2));

        var error = failureOf(reply);
        assertThat(error.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(error.getMessage()).startsWith("request to 'slow' timed out after 300ms (3 attempts)");
        long id = broker.expect(Command.REQUEST).as(Request.class).correlationId();
        assertThat(broker.expect(Command.REQUEST).as(Request.class).correlationId()).isEqualTo(id);
        assertThat(broker.expect(Command.REQUEST).as(Request.class).correlationId()).isEqualTo(id);
        assertThat(broker.poll(Command.REQUEST, ofMillis(200))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"400,PROTOCOL", "403,REFUSED", "404,UNKNOWN_SERVICE", "408,EXPIRED", "413,TOO_LARGE",
        "429,BACKPRESSURE", "500,SERVICE_ERROR", "503,UNAVAILABLE"})
    void shouldMapErrorRepliesToReasons(int code, Reason reason) {
        broker.respondWith(in -> new ErrorReply(in.as(Request.class).correlationId(), ErrorCode.of(code), "because"));
        client = Client.connect(fastConfig(broker.endpoint()));

        var error = failureOf(client.request("svc", Message.of("x")));

        assertThat(error.reason()).isEqualTo(reason);
        assertThat(error.getMessage()).startsWith("request to 'svc'");
    }

    @Test
    void shouldRetryAfterExpiredAndTakeTheNextReply() throws Exception {
        client = Client.connect(fastConfig(broker.endpoint()));

        CompletableFuture<Message> reply = client.request("svc", Message.of("x"), RequestOptions.of(ofSeconds(3), 1));
        Received first = broker.expect(Command.REQUEST);
        long id = first.as(Request.class).correlationId();
        broker.send(first.identity(), new ErrorReply(id, ErrorCode.EXPIRED, "deadline passed in queue"));
        Received second = broker.expect(Command.REQUEST);
        broker.send(second.identity(), new Reply(id, Headers.EMPTY, "ok".getBytes(UTF_8)));

        assertThat(second.as(Request.class).correlationId()).isEqualTo(id);
        assertThat(reply.get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("ok");
    }

    @Test
    void shouldFailFastWithBackpressureOverMaxInFlight() throws Exception {
        client = Client.connect(fastConfig(broker.endpoint()).withMaxInFlight(2));
        CompletableFuture<Message> first = client.request("svc", Message.of("1"));
        client.request("svc", Message.of("2"));

        CompletableFuture<Message> third = client.request("svc", Message.of("3"));

        assertThat(third).isCompletedExceptionally();
        assertThat(failureOf(third).reason()).isEqualTo(Reason.BACKPRESSURE);
        Received in = broker.expect(Command.REQUEST);
        broker.expect(Command.REQUEST);
        broker.send(in.identity(), new Reply(in.as(Request.class).correlationId(), Headers.EMPTY, new byte[0]));
        first.get(5, TimeUnit.SECONDS);
        CompletableFuture<Message> fourth = client.request("svc", Message.of("4"));
        assertThat(fourth).isNotCompletedExceptionally();
        assertThat(new String(broker.expect(Command.REQUEST).as(Request.class).body(), UTF_8)).isEqualTo("4");
    }

    @Test
    void shouldRefuseBodyOverMaxMessageBytesWithoutSendingIt() throws Exception {
        broker.respondWith(ClientTest::echo);
        client = Client.connect(fastConfig(broker.endpoint()).withMaxMessageBytes(16));

        CompletableFuture<Message> tooLarge = client.request("echo", Message.of(new byte[17]));

        assertThat(tooLarge).isCompletedExceptionally();
        assertThat(failureOf(tooLarge).reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(client.request("echo", Message.of(new byte[16])).get(5, TimeUnit.SECONDS).body()).hasSize(21);
        assertThat(broker.expect(Command.REQUEST).as(Request.class).body()).hasSize(16);
        assertThat(broker.poll(Command.REQUEST, ofMillis(100))).isEmpty();
    }

    @Test
    void shouldReturnStatusJson() throws Exception {
        String json = "{\"brokerId\":\"fake\",\"services\":[]}";
        broker.respondWith(in -> new StatusReply(in.as(Status.class).correlationId(), json));
        client = Client.connect(fastConfig(broker.endpoint()));

        assertThat(client.status().get(5, TimeUnit.SECONDS)).isEqualTo(json);
    }

    @Test
    void shouldHeartbeatAndReportConnected() {
        client = Client.connect(fastConfig(broker.endpoint()));

        await("connected").atMost(ofSeconds(5)).until(client::isConnected);
        await("heartbeats").atMost(ofSeconds(5)).until(() -> broker.heartbeats() >= 3);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void shouldDetectSilentBrokerAndFailOverWithPendingRequest() throws Exception {
        try (FakeBroker second = FakeBroker.start()) {
            client = Client.connect(fastConfig(broker.endpoint(), second.endpoint()));
            await("connected to the first").atMost(ofSeconds(5)).until(client::isConnected);
            CompletableFuture<Message> reply = client.request("svc", Message.of("x"));
            long id = broker.expect(Command.REQUEST).as(Request.class).correlationId();

            broker.goSilent();
            long silentAt = System.nanoTime();

            // Window 300ms (100ms * 3) from the last pong, which came at most one interval before the silence,
            // then a 20ms (+/-20%) backoff: HELLO reaches the second broker 200ms to ~350ms after the silence.
            long failoverMillis = (second.expect(Command.HELLO).atNanos() - silentAt) / 1_000_000;
            Received resent = second.expect(Command.REQUEST);
            assertThat(resent.as(Request.class).correlationId()).isEqualTo(id);
            second.send(resent.identity(), new Reply(id, Headers.EMPTY, "from second".getBytes(UTF_8)));
            assertThat(reply.get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("from second");
            await("connected to the second").atMost(ofSeconds(5)).until(client::isConnected);
            assertThat(failoverMillis).isBetween(150L, 800L);
        }
    }

    @Test
    void shouldSkipAnEndpointWhoseHostDoesNotResolve() throws Exception {
        broker.respondWith(ClientTest::echo);
        client = Client.connect(fastConfig("tcp://no-such-host.invalid:5555", broker.endpoint()));

        Message reply = client.request("echo", Message.of("x")).get(5, TimeUnit.SECONDS);

        assertThat(reply.bodyAsString()).isEqualTo("echo:x");
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void shouldRunCallbacksOffTheIoThread() throws Exception {
        broker.respondWith(ClientTest::echo);
        client = Client.connect(fastConfig(broker.endpoint()).withMaxMessageBytes(4));

        String applied = client.request("echo", Message.of("x")).thenApply(m -> Thread.currentThread().getName())
                .get(5, TimeUnit.SECONDS);
        CompletableFuture<String> completed = new CompletableFuture<>();
        client.request("echo", Message.of("y"))
                .whenComplete((m, e) -> completed.complete(Thread.currentThread().getName()));
        String recovered = client.request("echo", Message.of("too large"))
                .exceptionally(e -> Message.of(Thread.currentThread().getName())).get(5, TimeUnit.SECONDS)
                .bodyAsString();

        assertThat(applied).startsWith("courier-callback-");
        assertThat(completed.get(5, TimeUnit.SECONDS)).startsWith("courier-callback-");
        assertThat(recovered).startsWith("courier-callback-");
    }

    @Test
    void shouldRunCallbacksOnTheConfiguredExecutor() throws Exception {
        broker.respondWith(ClientTest::echo);
        ExecutorService app = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-callback"));
        try {
            client = Client.connect(fastConfig(broker.endpoint()).withCallbackExecutor(app));

            String thread = client.request("echo", Message.of("x")).thenApply(m -> Thread.currentThread().getName())
                    .get(5, TimeUnit.SECONDS);

            assertThat(thread).isEqualTo("app-callback");
        } finally {
            client.close();
            app.shutdown();
        }
    }

    @Test
    void shouldFailPendingWithClosedAndLeaveNoThreads() {
        Set<Thread> before = TestSupport.liveThreads();
        client = Client.connect(fastConfig(broker.endpoint()));
        CompletableFuture<Message> pending = client.request("svc", Message.of("x"));
        broker.expect(Command.REQUEST);

        long start = System.nanoTime();
        client.close();
        long closeMillis = (System.nanoTime() - start) / 1_000_000;
        client.close();

        assertThat(failureOf(pending).reason()).isEqualTo(Reason.CLOSED);
        assertThat(failureOf(client.request("svc", Message.of("y"))).reason()).isEqualTo(Reason.CLOSED);
        assertThat(failureOf(client.status()).reason()).isEqualTo(Reason.CLOSED);
        assertThat(client.isConnected()).isFalse();
        assertThat(closeMillis).isLessThan(2_000);
        TestSupport.assertNoThreadsLeftSince(before);
    }

    @Test
    void shouldCloseQuicklyWhenNoBrokerAnswers() {
        String nobody = broker.endpoint();
        broker.close();
        Set<Thread> before = TestSupport.liveThreads();
        client = Client.connect(fastConfig(nobody));
        CompletableFuture<Message> pending = client.request("svc", Message.of("x"));

        long start = System.nanoTime();
        client.close();

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
        assertThat(failureOf(pending).reason()).isEqualTo(Reason.CLOSED);
        TestSupport.assertNoThreadsLeftSince(before);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
