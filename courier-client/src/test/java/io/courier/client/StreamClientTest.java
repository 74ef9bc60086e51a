package io.courier.client;

import static io.courier.client.TestSupport.failureOf;
import static io.courier.client.TestSupport.fastConfig;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.courier.client.FakeBroker.Received;
import io.courier.protocol.Command;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.SlowPolicy;
import io.courier.protocol.codec.NativeMessage.Disconnect;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Event;
import io.courier.protocol.codec.NativeMessage.Loss;
import io.courier.protocol.codec.NativeMessage.PubAck;
import io.courier.protocol.codec.NativeMessage.Publish;
import io.courier.protocol.codec.NativeMessage.Replay;
import io.courier.protocol.codec.NativeMessage.Subscribe;
import io.courier.protocol.StreamStart;
import io.courier.protocol.codec.NativeMessage.Subscribed;
import io.courier.protocol.codec.NativeMessage.Unsubscribe;
import io.courier.protocol.codec.NativeMessage.Unsubscribed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Streams through the real client against the scripted {@link FakeBroker}. */
@Timeout(10)
class StreamClientTest {
    private FakeBroker broker;
    private Client client;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void start() {
        broker = FakeBroker.start();
        client = Client.connect(fastConfig(broker.endpoint()));
    }

    @AfterEach
    void stop() {
        client.close();
        broker.close();
    }

    /** Subscribes, answers SUBSCRIBED with no heads and waits for the client to see it. */
    private Received subscribed(Subscription subscription) {
        Received in = broker.expect(Command.SUBSCRIBE);
        broker.send(in.identity(), new Subscribed(in.as(Subscribe.class).subscriptionId(), Map.of()));
        subscription.awaitSubscribed(ofSeconds(5));
        return in;
    }

    private void event(Received to, String topic, long seq) {
        long id = to.as(Subscribe.class).subscriptionId();
        byte[][] body = {("m" + seq).getBytes(UTF_8)};
        broker.send(to.identity(), new Event(id, topic, seq, 1_700_000_000_000L + seq, Headers.EMPTY, body));
    }

    @Test
    void shouldSendSubscribeAndCompleteOnSubscribed() {
        Subscription subscription = client.subscribe("prices.", SubscribeOptions.ofSeq(3)
                .withPolicy(SlowPolicy.DISCONNECT), listener);

        Received in = broker.expect(Command.SUBSCRIBE);
        Subscribe subscribe = in.as(Subscribe.class);
        assertThat(subscribe).isEqualTo(new Subscribe(subscription.id(), "prices.", StreamStart.SEQ, 3,
                SlowPolicy.DISCONNECT, Map.of()));
        assertThat(subscription.subscribed()).isNotDone();
        CourierException early = catchThrowableOfType(CourierException.class,
                () -> subscription.awaitSubscribed(ofMillis(50)));
        assertThat(early.reason()).isEqualTo(Reason.TIMEOUT);

        broker.send(in.identity(), new Subscribed(subscription.id(), Map.of("prices.eur", 4L)));

        subscription.awaitSubscribed(ofSeconds(5));
        assertThat(subscription.isActive()).isTrue();
        assertThat(subscription.prefix()).isEqualTo("prices.");
    }

    @Test
    void shouldDeliverEventsInOrderOneAtATimeOffTheIoThread() {
        Received in = subscribed(client.subscribe("t", SubscribeOptions.ofFirst(), listener));
        List<String> expected = new ArrayList<>();
        for (long seq = 1; seq <= 500; seq++) {
            event(in, "t" + (seq % 3), seq / 3 + 1);
            expected.add("t" + (seq % 3) + "#" + (seq / 3 + 1));
        }

        assertThat(listener.take(500)).isEqualTo(expected);
        assertThat(listener.overlaps()).isZero();
        assertThat(listener.threads).allSatisfy(t -> assertThat(t).startsWith("courier-callback-"));
        StreamEvent first = listener.events.poll();
        assertThat(first.bodyAsString()).isEqualTo("m1");
        assertThat(first.timestampMillis()).isEqualTo(1_700_000_000_001L);
    }

    @Test
    void shouldReplayAGapAndDeliverInOrderAfterTheFill() {
        Received in = subscribed(client.subscribe("t", SubscribeOptions.ofFirst(), listener));
        event(in, "t", 1);
        event(in, "t", 2);
        event(in, "t", 5);

        Replay replay = broker.expect(Command.REPLAY).as(Replay.class);
        assertThat(replay).isEqualTo(new Replay(in.as(Subscribe.class).subscriptionId(), "t", 3, 4));
        assertThat(listener.take(2)).containsExactly("t#1", "t#2");
        event(in, "t", 3);
        event(in, "t", 4);

        assertThat(listener.take(3)).containsExactly("t#3", "t#4", "t#5");
    }

    @Test
    void shouldDeliverLossToOnLossInItsPlace() {
        Received in = subscribed(client.subscribe("t", SubscribeOptions.ofFirst(), listener));
        event(in, "t", 1);
        event(in, "t", 4);
        broker.expect(Command.REPLAY);
        broker.send(in.identity(), new Loss(in.as(Subscribe.class).subscriptionId(), "t", 2, 3, "not retained"));

        assertThat(listener.take(3)).containsExactly("t#1", "t!2-3", "t#4");
        assertThat(listener.losses.poll().reason()).isEqualTo("not retained");
    }

    @Test
    void shouldDropDuplicates() {
        Received in = subscribed(client.subscribe("t", SubscribeOptions.ofFirst(), listener));
        for (long seq : new long[] {1, 2, 2, 1, 3, 3}) {
            event(in, "t", seq);
        }
        event(in, "u", 1);

        assertThat(listener.take(4)).containsExactly("t#1", "t#2", "t#3", "u#1");
        assertThat(listener.calls).isEmpty();
        assertThat(broker.poll(Command.REPLAY, ofMillis(50))).isEmpty();
    }

    @Test
    void shouldResubscribeWithAResumeMapAfterTheBrokerRestartsTheSession() {
        Subscription subscription = client.subscribe("t", SubscribeOptions.ofNow(), listener);
        Received in = subscribed(subscription);
        broker.expect(Command.HELLO);
        for (long seq = 1; seq <= 3; seq++) {
            event(in, "t.a", seq);
        }
        event(in, "t.b", 7);
        assertThat(listener.take(4)).endsWith("t.b#7");

        broker.send(in.identity(), new Disconnect("session reset"));

        broker.expect(Command.HELLO);
        Received again = broker.expect(Command.SUBSCRIBE);
        Subscribe resubscribe = again.as(Subscribe.class);
        assertThat(again.samePeer(in)).isFalse();
        assertThat(resubscribe.subscriptionId()).isEqualTo(subscription.id());
        assertThat(resubscribe.start()).isEqualTo(StreamStart.NOW);
        assertThat(resubscribe.resume()).containsOnly(Map.entry("t.a", 4L), Map.entry("t.b", 8L));
        broker.send(again.identity(), new Subscribed(subscription.id(), Map.of("t.a", 4L)));
        event(again, "t.a", 4);
        assertThat(listener.take(1)).containsExactly("t.a#4");
        assertThat(listener.losses).isEmpty();
    }

    @Test
    void shouldReportEveryKnownStreamLostWhenTheBrokerIdChanges() {
        Received in = subscribed(client.subscribe("t", SubscribeOptions.ofFirst(), listener));
        event(in, "t.a", 1);
        event(in, "t.a", 2);
        event(in, "t.b", 1);
        listener.take(3);

        broker.welcomeWith(Map.of("broker-id", "restarted"));
        broker.send(in.identity(), new Disconnect("restarting"));

        Received again = broker.expect(Command.SUBSCRIBE);
        assertThat(again.as(Subscribe.class).resume()).isEmpty();
        assertThat(listener.take(2)).containsExactlyInAnyOrder("t.a!3-max", "t.b!2-max");
        assertThat(listener.losses).allSatisfy(l -> assertThat(l.reason())
                .isEqualTo("broker restarted; sequence numbers restart"));
        event(again, "t.a", 1);
        assertThat(listener.take(1)).containsExactly("t.a#1");
    }

    @Test
    void shouldStopDeliveriesAndUnsubscribeOnClose() {
        Subscription closing = client.subscribe("a", SubscribeOptions.ofFirst(), listener);
        Received first = subscribed(closing);
        RecordingListener other = new RecordingListener();
        Received second = subscribed(client.subscribe("b", SubscribeOptions.ofFirst(), other));
        event(first, "a", 1);
        assertThat(listener.take(1)).containsExactly("a#1");

        closing.close();

        assertThat(broker.expect(Command.UNSUBSCRIBE).as(Unsubscribe.class).subscriptionId()).isEqualTo(closing.id());
        assertThat(closing.isActive()).isFalse();
        event(first, "a", 2);
        event(second, "b", 1);
        assertThat(other.take(1)).containsExactly("b#1");
        assertThat(listener.calls).isEmpty();
        closing.close();
    }

    @Test
    void shouldEndTheSubscriptionWhenTheBrokerSaysTooSlow() {
        Subscription subscription = client.subscribe("t", SubscribeOptions.ofNow()
                .withPolicy(SlowPolicy.DISCONNECT), listener);
        Received in = subscribed(subscription);

        broker.send(in.identity(), new Unsubscribed(subscription.id(), "too slow"));

        assertThat(listener.take(1)).containsExactly("closed:too slow");
        assertThat(subscription.isActive()).isFalse();
    }

    @Test
    void shouldEndSubscriptionsWhenTheClientCloses() {
        Subscription subscription = client.subscribe("t", SubscribeOptions.ofNow(), listener);
        broker.expect(Command.SUBSCRIBE);

        client.close();

        assertThat(listener.take(1)).containsExactly("closed:client closed");
        assertThat(failureOf(subscription.subscribed()).reason()).isEqualTo(Reason.CLOSED);
        assertThat(subscription.isActive()).isFalse();
        CourierException refused = catchThrowableOfType(CourierException.class,
                () -> client.subscribe("t", SubscribeOptions.ofNow(), listener));
        assertThat(refused.reason()).isEqualTo(Reason.CLOSED);
    }

    @Test
    void shouldConfirmAPublishWithItsSeq() throws Exception {
        broker.respondWith(in -> in.message() instanceof Publish p ? new PubAck(p.correlationId(), p.topic(), 42)
                : null);

        long seq = client.publish("prices.eur", Message.of("1.08").withHeader(Message.CONTENT_TYPE, "text/plain"))
                .get(5, TimeUnit.SECONDS);

        assertThat(seq).isEqualTo(42);
        Publish sent = broker.expect(Command.PUBLISH).as(Publish.class);
        assertThat(sent.correlationId()).isNotZero();
        assertThat(sent.topic()).isEqualTo("prices.eur");
        assertThat(sent.headers().get(Message.CONTENT_TYPE)).isEqualTo("text/plain");
        assertThat(new String(sent.body(), UTF_8)).isEqualTo("1.08");
    }

    @Test
    void shouldMapAPublishErrorToItsReason() {
        broker.respondWith(in -> in.message() instanceof Publish p ? new ErrorReply(p.correlationId(),
                ErrorCode.QUEUE_FULL, "too many streams") : null);

        CourierException error = failureOf(client.publish("t", Message.of("x")));

        assertThat(error.reason()).isEqualTo(Reason.BACKPRESSURE);
        assertThat(error.getMessage()).contains("publish to 't' failed: too many streams");
    }

    @Test
    void shouldWaitForRoomWhenPublishesFillTheWindow() throws Exception {
        client.close();
        client = Client.connect(fastConfig(broker.endpoint()).withMaxInFlight(2));
        CompletableFuture<Long> first = client.publish("t", Message.of("1"));
        client.publish("t", Message.of("2"));
        CountDownLatch returned = new CountDownLatch(1);
        CompletableFuture<CompletableFuture<Long>> third = CompletableFuture.supplyAsync(() -> {
            CompletableFuture<Long> future = client.publish("t", Message.of("3"));
            returned.countDown();
            return future;
        });

        Received in = broker.expect(Command.PUBLISH);
        broker.expect(Command.PUBLISH);
        assertThat(returned.await(300, TimeUnit.MILLISECONDS)).as("the third publish waits for room").isFalse();
        broker.send(in.identity(), new PubAck(in.as(Publish.class).correlationId(), "t", 1));

        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        CompletableFuture<Long> paced = third.get(5, TimeUnit.SECONDS);
        assertThat(paced).isNotCompletedExceptionally();
        assertThat(new String(broker.expect(Command.PUBLISH).as(Publish.class).body(), UTF_8)).isEqualTo("3");
    }

    @Test
    void shouldFailBackpressureWhenNoRoomComesWithinTheTimeout() {
        client.close();
        client = Client.connect(fastConfig(broker.endpoint()).withMaxInFlight(1)
                .withDefaults(RequestOptions.of(ofMillis(300), 0)));
        // The window's one slot is held by a request the fake broker never answers, for longer than the publish
        // waits: a first publish would time out after the same 300 ms and could free the slot just in time.
        client.request("svc", Message.of("held"), RequestOptions.of(ofSeconds(10), 0));
        broker.expect(Command.REQUEST);
        long start = System.nanoTime();

        CourierException refused = failureOf(client.publish("t", Message.of("2")));

        assertThat(refused.reason()).isEqualTo(Reason.BACKPRESSURE);
        assertThat(refused.getMessage()).contains("maxInFlight").contains("for 300ms");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
    }

    @Test
    void shouldStopWaitingForRoomWhenInterrupted() {
        client.close();
        client = Client.connect(fastConfig(broker.endpoint()).withMaxInFlight(1));
        client.publish("t", Message.of("1"));
        Thread.currentThread().interrupt();
        try {
            CourierException refused = failureOf(client.publish("t", Message.of("2")));

            assertThat(refused.reason()).isEqualTo(Reason.BACKPRESSURE);
            assertThat(refused.getMessage()).contains("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void shouldPublishWithoutConfirmationAndThrowBackpressureWhenTheQueueIsFull() {
        client.publishAndForget("t", Message.of("first"));
        Publish sent = broker.expect(Command.PUBLISH).as(Publish.class);
        assertThat(sent.correlationId()).isZero();
        assertThat(new String(sent.body(), UTF_8)).isEqualTo("first");

        client.close();
        client = Client.connect(fastConfig(broker.endpoint()).withMaxInFlight(1));
        CourierException refused = null;
        for (int i = 0; i < 2_000_000 && refused == null; i++) {
            try {
                client.publishAndForget("t", Message.of(new byte[16]));
            } catch (CourierException e) {
                refused = e;
            }
        }

        assertThat(refused).isNotNull();
        assertThat(refused.reason()).isEqualTo(Reason.BACKPRESSURE);
        assertThat(refused.getMessage()).contains("command queue is full");
    }

    @Test
    void shouldRefuseInvalidArgumentsAtOnce() {
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> client.publish("", Message.of("x")))).hasMessageContaining("topic must be 1 to 255 bytes");
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> client.subscribe("p".repeat(256), listener))).hasMessageContaining("prefix");
        assertThat(failureOf(client.publish("t", Message.of(new byte[17 * 1024 * 1024]))).reason())
                .isEqualTo(Reason.TOO_LARGE);
        assertThat(broker.poll(Command.PUBLISH, ofMillis(100))).isEmpty();
    }
}
