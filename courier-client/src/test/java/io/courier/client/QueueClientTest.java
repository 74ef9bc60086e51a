package io.courier.client;

import static io.courier.client.TestSupport.failureOf;
import static io.courier.client.TestSupport.fastConfig;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.courier.client.FakeBroker.Received;
import io.courier.protocol.Command;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage.Ack;
import io.courier.protocol.codec.NativeMessage.Cancel;
import io.courier.protocol.codec.NativeMessage.Cancelled;
import io.courier.protocol.codec.NativeMessage.Confirm;
import io.courier.protocol.codec.NativeMessage.Consume;
import io.courier.protocol.codec.NativeMessage.Consuming;
import io.courier.protocol.codec.NativeMessage.Deliver;
import io.courier.protocol.codec.NativeMessage.Disconnect;
import io.courier.protocol.codec.NativeMessage.Enqueue;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Nack;
import io.courier.protocol.codec.NativeMessage.QueueAdmin;
import io.courier.protocol.codec.NativeMessage.QueueAdmin.Operation;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply.ListedMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Durable queues through the real client against the scripted {@link FakeBroker}. */
@Timeout(10)
class QueueClientTest {
    private FakeBroker broker;
    private Client client;

    @BeforeEach
    void start() {
        broker = FakeBroker.start();
        client = Client.connect(config(broker.endpoint()));
    }

    /**
     * A generous liveness window: a CPU stall on a busy machine must not start a new session unasked, since settles
     * of the old session are dropped by design. Reconnects here are made on purpose, with DISCONNECT.
     */
    private static ClientConfig config(String endpoint) {
        return fastConfig(endpoint).withHeartbeat(Duration.ofMillis(500), 6);
    }

    @AfterEach
    void stop() {
        client.close();
        broker.close();
    }

    private static Deliver deliver(Received consume, long tag, int deliveries) {
        Consume c = consume.as(Consume.class);
        return new Deliver(c.consumerId(), c.queue(), tag, 100 + tag, deliveries, 1_700_000_000_000L,
                Headers.of(Map.of("k", "v" + tag)), ("m" + tag).getBytes(UTF_8));
    }

    /** Makes the client reconnect (a new session on a new socket) and returns its new HELLO. */
    private Received reconnect(Received from) {
        broker.send(from.identity(), new Disconnect("test says so"));
        return broker.expect(Command.HELLO);
    }

    @Test
    void shouldEnqueueWithARandomIdAndCompleteOnConfirm() throws Exception {
        broker.expect(Command.HELLO);
        Message message = Message.of("job-1").withHeader("trace", "t1");
        CompletableFuture<EnqueueReceipt> plain = client.enqueue("jobs", message,
                EnqueueOptions.defaults().withTtl(Duration.ofSeconds(30)));
        CompletableFuture<EnqueueReceipt> named = client.enqueue("jobs", Message.of("job-2"),
                EnqueueOptions.defaults().withMessageId("order-7"));

        Received first = broker.expect(Command.ENQUEUE);
        Enqueue e1 = first.as(Enqueue.class);
        Enqueue e2 = broker.expect(Command.ENQUEUE).as(Enqueue.class);
        assertThat(e1.queue()).isEqualTo("jobs");
        assertThat(e1.messageId()).matches("[A-Za-z0-9_-]{22}\\.[0-9a-z]+");   // this client's prefix, a counter
        assertThat(e1.ttlMillis()).isEqualTo(30_000);
        assertThat(e1.headers().get("trace")).isEqualTo("t1");
        assertThat(new String(e1.body(), UTF_8)).isEqualTo("job-1");
        assertThat(e2.messageId()).isEqualTo("order-7");
        assertThat(e2.ttlMillis()).isZero();
        broker.send(first.identity(), new Confirm(e2.correlationId(), "jobs", 2, true));
        broker.send(first.identity(), new Confirm(e1.correlationId(), "jobs", 1, false));

        assertThat(plain.get(5, TimeUnit.SECONDS)).isEqualTo(new EnqueueReceipt("jobs", 1, false, e1.messageId()));
        assertThat(named.get(5, TimeUnit.SECONDS)).isEqualTo(new EnqueueReceipt("jobs", 2, true, "order-7"));
    }

    @Test
    void shouldMapBrokerErrorsToReasons() {
        broker.respondWith(in -> {
            Enqueue e = in.as(Enqueue.class);
            return switch (new String(e.body(), UTF_8)) {
                case "full" -> new ErrorReply(e.correlationId(), ErrorCode.QUEUE_FULL,
                        "queue 'jobs' is full (maxMessages 10)");
                case "large" -> new ErrorReply(e.correlationId(), ErrorCode.TOO_LARGE, "over 1024 bytes");
                default -> new ErrorReply(e.correlationId(), ErrorCode.UNAVAILABLE, "broker shutting down");
            };
        });

        assertThat(failureOf(client.enqueue("jobs", "full".getBytes(UTF_8))).reason())
                .isEqualTo(Reason.BACKPRESSURE);
        assertThat(failureOf(client.enqueue("jobs", "full".getBytes(UTF_8)))).hasMessageContaining("maxMessages 10");
        assertThat(failureOf(client.enqueue("jobs", "large".getBytes(UTF_8))).reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(failureOf(client.enqueue("jobs", "x".getBytes(UTF_8))).reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(failureOf(client.enqueue("jobs", Message.of("late"),
                EnqueueOptions.defaults().withTimeout(Duration.ofMillis(100)))).reason())
                .isEqualTo(Reason.UNAVAILABLE);
        broker.respondWith(null);
        assertThat(failureOf(client.enqueue("jobs", Message.of("late"),
                EnqueueOptions.defaults().withTimeout(Duration.ofMillis(100)))).reason()).isEqualTo(Reason.TIMEOUT);
        assertThatThrownBy(() -> client.enqueue("", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EnqueueOptions.defaults().withTtl(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldResendAnUnconfirmedEnqueueWithTheSameIdAfterAReconnect() throws Exception {
        Received hello = broker.expect(Command.HELLO);
        CompletableFuture<EnqueueReceipt> future = client.enqueue("jobs", "once".getBytes(UTF_8));
        Enqueue sent = broker.expect(Command.ENQUEUE).as(Enqueue.class);

        reconnect(hello);
        Received again = broker.expect(Command.ENQUEUE);
        Enqueue resent = again.as(Enqueue.class);
        assertThat(resent.messageId()).isEqualTo(sent.messageId());
        assertThat(resent.correlationId()).isEqualTo(sent.correlationId());
        assertThat(again.samePeer(hello)).isFalse();
        broker.send(again.identity(), new Confirm(resent.correlationId(), "jobs", 1, true));

        EnqueueReceipt receipt = future.get(5, TimeUnit.SECONDS);
        assertThat(receipt.seq()).isEqualTo(1);
        assertThat(receipt.duplicate()).isTrue();
    }

    @Test
    void shouldHandDeliveriesToTheHandlerSeriallyInOrderAndAckThemInBatches() {
        List<String> seen = new CopyOnWriteArrayList<>();
        Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        QueueConsumer consumer = client.consume("jobs", ConsumeOptions.defaults().withPrefetch(500), d -> {
            if (running.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            seen.add(d.bodyAsString() + "/" + d.header("k") + "/" + d.redelivered());
            threads.add(Thread.currentThread().getName());
            running.decrementAndGet();
        });
        Received consume = broker.expect(Command.CONSUME);
        assertThat(consume.as(Consume.class)).isEqualTo(new Consume(consumer.id(), "jobs", 500));
        broker.send(consume.identity(), new Consuming(consumer.id(), "jobs"));
        consumer.awaitConsuming(ofSeconds(5));

        List<String> expected = new ArrayList<>();
        for (long tag = 1; tag <= 300; tag++) {
            broker.send(consume.identity(), deliver(consume, tag, tag == 1 ? 2 : 1));
            expected.add("m" + tag + "/v" + tag + "/" + (tag == 1));
        }

        List<Long> acked = new ArrayList<>();
        int frames = 0;
        while (acked.size() < 300) {
            Ack ack = broker.expect(Command.ACK).as(Ack.class);
            assertThat(ack.consumerId()).isEqualTo(consumer.id());
            for (long tag : ack.tags()) {
                acked.add(tag);
            }
            frames++;
        }
        assertThat(seen).isEqualTo(expected);
        assertThat(overlaps).hasValue(0);
        assertThat(threads).allSatisfy(t -> assertThat(t).startsWith("courier-callback-"));
        assertThat(acked).doesNotHaveDuplicates().hasSize(300);
        assertThat(frames).as("ack frames for 300 deliveries").isLessThanOrEqualTo(300);
    }

    @Test
    void shouldNackOnRequestAndWhenTheHandlerThrows() {
        QueueConsumer consumer = client.consume("jobs", d -> {
            switch ((int) d.tag()) {
                case 1 -> d.nack();
                case 2 -> d.nack(Duration.ofMillis(1500));
                case 3 -> d.reject();
                default -> throw new IllegalStateException("handler failed on purpose");
            }
        });
        Received consume = broker.expect(Command.CONSUME);
        for (long tag = 1; tag <= 4; tag++) {
            broker.send(consume.identity(), deliver(consume, tag, 1));
        }

        List<Nack> nacks = List.of(broker.expect(Command.NACK).as(Nack.class),
                broker.expect(Command.NACK).as(Nack.class), broker.expect(Command.NACK).as(Nack.class),
                broker.expect(Command.NACK).as(Nack.class));
        long id = consumer.id();
        assertThat(nacks).containsExactly(new Nack(id, 1, true, 0), new Nack(id, 2, true, 1500),
                new Nack(id, 3, false, 0), new Nack(id, 4, true, 0));
        assertThat(broker.poll(Command.ACK, Duration.ofMillis(100))).isEmpty();
    }

    @Test
    void shouldConsumeAgainOnANewSessionAndDropAcksOfTheOldOne() throws Exception {
        Received hello = broker.expect(Command.HELLO);
        List<QueueDelivery> held = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        QueueConsumer consumer = client.consume("jobs", d -> {
            held.add(d);
            release.get(5, TimeUnit.SECONDS);   // holds the first delivery until the session is gone
        });
        Received consume = broker.expect(Command.CONSUME);
        broker.send(consume.identity(), new Consuming(consumer.id(), "jobs"));
        broker.send(consume.identity(), deliver(consume, 1, 1));
        await("handler holds the delivery").atMost(ofSeconds(5)).until(() -> held.size() == 1);

        reconnect(hello);
        Received again = broker.expect(Command.CONSUME);
        assertThat(again.as(Consume.class)).isEqualTo(consume.as(Consume.class));
        release.complete(null);   // the handler returns: its ack belongs to the old session and is dropped
        broker.send(again.identity(), new Consuming(consumer.id(), "jobs"));
        broker.send(again.identity(), deliver(again, 2, 2));

        Ack ack = broker.expect(Command.ACK).as(Ack.class);
        assertThat(ack.tags()).containsExactly(2);
        assertThat(held).extracting(QueueDelivery::tag).containsExactly(1L, 2L);
        assertThat(held.get(1).redelivered()).isTrue();
    }

    @Test
    void shouldCancelOnCloseAndReportACancelBeforeConsuming() {
        List<String> reasons = new CopyOnWriteArrayList<>();
        QueueConsumer refused = client.consume("secret", new QueueHandler() {
            @Override
            public void onDelivery(QueueDelivery delivery) {
            }

            @Override
            public void onCancelled(String reason) {
                reasons.add(reason);
            }
        });
        Received consume = broker.expect(Command.CONSUME);
        broker.send(consume.identity(), new Cancelled(refused.id(), "refused: not allowed to consume 'secret'"));
        assertThat(failureOf(refused.consuming()).reason()).isEqualTo(Reason.REFUSED);
        await("onCancelled").atMost(ofSeconds(5)).until(() -> reasons.size() == 1);
        assertThat(refused.isActive()).isFalse();

        QueueConsumer closing = client.consume("jobs", d -> { });
        broker.expect(Command.CONSUME);
        closing.close();
        assertThat(broker.expect(Command.CANCEL).as(Cancel.class)).isEqualTo(new Cancel(closing.id()));
        assertThat(failureOf(closing.consuming()).reason()).isEqualTo(Reason.CLOSED);
        assertThat(reasons).containsExactly("refused: not allowed to consume 'secret'");
    }

    @Test
    void shouldRoundTripAdminCommands() throws Exception {
        broker.respondWith(in -> {
            QueueAdmin admin = in.as(QueueAdmin.class);
            return switch (admin.operation()) {
                case LIST -> new QueueAdminReply(admin.correlationId(), 1, List.of(new ListedMessage(4, 10,
                        1_700_000_000_000L, Headers.of(Map.of("x-dead-letter-reason", "rejected")),
                        "dead".getBytes(UTF_8))));
                case REPLAY -> new QueueAdminReply(admin.correlationId(), admin.count(), List.of());
                case PURGE -> new ErrorReply(admin.correlationId(), ErrorCode.PROTOCOL, "no such queue 'nope'");
            };
        });

        List<QueuedMessage> listed = client.listQueue("jobs.dlq", 10).get(5, TimeUnit.SECONDS);
        int replayed = client.replayDeadLetters("jobs.dlq", 3).get(5, TimeUnit.SECONDS);

        assertThat(listed).containsExactly(new QueuedMessage(4, 10, Instant.ofEpochMilli(1_700_000_000_000L),
                Map.of(QueuedMessage.DEAD_LETTER_REASON, "rejected"), "dead".getBytes(UTF_8)));
        assertThat(replayed).isEqualTo(3);
        assertThat(failureOf(client.purgeQueue("nope")).reason()).isEqualTo(Reason.PROTOCOL);
        QueueAdmin list = broker.expect(Command.QUEUE_ADMIN).as(QueueAdmin.class);
        assertThat(list.operation()).isEqualTo(Operation.LIST);
        assertThat(list.queue()).isEqualTo("jobs.dlq");
        assertThat(list.count()).isEqualTo(10);
        assertThatThrownBy(() -> client.listQueue("jobs", 1_001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldFailPendingWorkWithClosedAndLeaveNoThreadOnClose() {
        broker.expect(Command.HELLO);   // the client of every test is up, its threads started
        Set<Thread> before = TestSupport.liveThreads();
        FakeBroker silent = FakeBroker.start();
        Client other = Client.connect(config(silent.endpoint()));
        List<String> reasons = new CopyOnWriteArrayList<>();
        CompletableFuture<EnqueueReceipt> enqueue = other.enqueue("jobs", "x".getBytes(UTF_8));
        CompletableFuture<Integer> purge = other.purgeQueue("jobs");
        QueueConsumer consumer = other.consume("jobs", new QueueHandler() {
            @Override
            public void onDelivery(QueueDelivery delivery) {
            }

            @Override
            public void onCancelled(String reason) {
                reasons.add(reason);
            }
        });
        silent.expect(Command.ENQUEUE);
        silent.expect(Command.CONSUME);

        other.close();
        silent.close();

        assertThat(failureOf(enqueue).reason()).isEqualTo(Reason.CLOSED);
        assertThat(failureOf(purge).reason()).isEqualTo(Reason.CLOSED);
        assertThat(failureOf(consumer.consuming()).reason()).isEqualTo(Reason.CLOSED);
        await("onCancelled").atMost(ofSeconds(5)).until(() -> reasons.equals(List.of("client closed")));
        assertThat(failureOf(other.enqueue("jobs", "y".getBytes(UTF_8))).reason()).isEqualTo(Reason.CLOSED);
        assertThatThrownBy(() -> other.consume("jobs", d -> { })).hasMessageContaining("closed");
        await("threads end").atMost(ofSeconds(5)).untilAsserted(() -> TestSupport.assertNoThreadsLeftSince(before));
    }
}
