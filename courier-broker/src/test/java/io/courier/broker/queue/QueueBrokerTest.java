package io.courier.broker.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.broker.Broker;
import io.courier.broker.config.BrokerConfig;
import io.courier.broker.config.QueuesConfig;
import io.courier.protocol.Command;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage.Ack;
import io.courier.protocol.codec.NativeMessage.Cancel;
import io.courier.protocol.codec.NativeMessage.Cancelled;
import io.courier.protocol.codec.NativeMessage.Confirm;
import io.courier.protocol.codec.NativeMessage.Consume;
import io.courier.protocol.codec.NativeMessage.Consuming;
import io.courier.protocol.codec.NativeMessage.Deliver;
import io.courier.protocol.codec.NativeMessage.Enqueue;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Nack;
import io.courier.protocol.codec.NativeMessage.QueueAdmin;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Durable queues end to end over the native protocol, against a real broker on loopback. */
@Timeout(30)
class QueueBrokerTest {
    static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path data;
    private final RunningBrokerFixture fixture = new RunningBrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldDeliverWithinPrefetchAndMoreOnAck() {
        Broker broker = fixture.start(RunningBrokerFixture.config(data));
        QueuePeer producer = fixture.peer(broker);
        QueuePeer consumer = fixture.peer(broker);
        for (int i = 1; i <= 3; i++) {
            Confirm c = fixture.enqueue(producer, i, "jobs", "", "m" + i);
            assertThat(c.seq()).isEqualTo(i);
            assertThat(c.duplicate()).isFalse();
        }

        consumer.send(new Consume(7, "jobs", 2));
        Consuming consuming = consumer.expect(Command.CONSUMING, WAIT);
        Deliver first = consumer.expect(Command.DELIVER, WAIT);
        Deliver second = consumer.expect(Command.DELIVER, WAIT);
        consumer.expectNothing(Duration.ofMillis(300));   // prefetch 2: the third waits for a credit

        assertThat(consuming.queue()).isEqualTo("jobs");
        assertThat(body(first)).isEqualTo("m1");
        assertThat(first.deliveries()).isEqualTo(1);
        assertThat(body(second)).isEqualTo("m2");
        consumer.send(new Ack(7, new long[] {first.tag(), second.tag()}));
        Deliver third = consumer.expect(Command.DELIVER, WAIT);
        assertThat(body(third)).isEqualTo("m3");
        assertThat(third.seq()).isEqualTo(3);
    }

    @Test
    void shouldRequeueOnNackAndDeadLetterOnReject() {
        Broker broker = fixture.start(RunningBrokerFixture.config(data));
        QueuePeer peer = fixture.peer(broker);
        fixture.enqueue(peer, 1, "jobs", "", "a");
        peer.send(new Consume(1, "jobs", 1));
        Deliver d1 = peer.expect(Command.DELIVER, WAIT);

        peer.send(new Nack(1, d1.tag(), true, 0));
        Deliver d2 = peer.expect(Command.DELIVER, WAIT);
        assertThat(d2.seq()).isEqualTo(d1.seq());
        assertThat(d2.deliveries()).isEqualTo(2);
        assertThat(d2.tag()).isNotEqualTo(d1.tag());

        peer.send(new Nack(1, d2.tag(), false, 0));
        QueueAdminReply listed = fixture.admin(peer, 9, QueueAdmin.Operation.LIST, "jobs.dlq", 0);
        assertThat(listed.affected()).isEqualTo(1);
        assertThat(listed.messages().get(0).headers().get(QueueCore.REASON_HEADER)).isEqualTo(QueueCore.REJECTED);
        assertThat(listed.messages().get(0).headers().get(QueueCore.ORIGINAL_QUEUE_HEADER)).isEqualTo("jobs");
        assertThat(new String(listed.messages().get(0).body(), StandardCharsets.UTF_8)).isEqualTo("a");
    }

    @Test
    void shouldListReplayAndPurgeDeadLettersOverQueueAdmin() {
        Broker broker = fixture.start(RunningBrokerFixture.config(data));
        QueuePeer peer = fixture.peer(broker);
        fixture.enqueue(peer, 1, "jobs", "", "x");
        fixture.enqueue(peer, 2, "jobs", "", "y");
        peer.send(new Consume(1, "jobs", 10));
        Deliver x = peer.expect(Command.DELIVER, WAIT);
        Deliver y = peer.expect(Command.DELIVER, WAIT);
        peer.send(new Nack(1, x.tag(), false, 0));
        peer.send(new Nack(1, y.tag(), false, 0));
        await("both dead-lettered").atMost(WAIT).until(() -> fixture.admin(peer, 3, QueueAdmin.Operation.LIST,
                "jobs.dlq", 0).affected() == 2);

        QueueAdminReply replayed = fixture.admin(peer, 4, QueueAdmin.Operation.REPLAY, "jobs.dlq", 1);
        assertThat(replayed.affected()).isEqualTo(1);
        Deliver back = peer.expect(Command.DELIVER, WAIT);
        assertThat(body(back)).isEqualTo("x");
        assertThat(back.deliveries()).isEqualTo(1);
        assertThat(back.headers().get(QueueCore.REASON_HEADER)).isNull();

        assertThat(fixture.admin(peer, 5, QueueAdmin.Operation.PURGE, "jobs.dlq", 0).affected()).isEqualTo(1);
        assertThat(fixture.admin(peer, 6, QueueAdmin.Operation.LIST, "jobs.dlq", 0).affected()).isZero();
        peer.send(new QueueAdmin(7, QueueAdmin.Operation.LIST, "no-such-queue", 0));
        ErrorReply missing = peer.expect(Command.ERROR, WAIT);
        assertThat(missing.code()).isEqualTo(ErrorCode.PROTOCOL);
        assertThat(missing.correlationId()).isEqualTo(7);
    }

    @Test
    void shouldRedeliverToAnotherConsumerAfterTheAckTimeout() {
        BrokerConfig config = RunningBrokerFixture.config(data).withQueues(new QueuesConfig(QueueSettings.defaults(),
                Map.of("slow", QueueSettings.defaults().withAckTimeout(Duration.ofMillis(300)))));
        Broker broker = fixture.start(config);
        QueuePeer first = fixture.peer(broker);
        QueuePeer second = fixture.peer(broker);
        fixture.enqueue(first, 1, "slow", "", "job");
        first.send(new Consume(1, "slow", 1));
        Deliver taken = first.expect(Command.DELIVER, WAIT);

        second.send(new Consume(2, "slow", 1));
        Deliver again = second.expect(Command.DELIVER, WAIT);   // first never acks: back after 300ms

        assertThat(again.seq()).isEqualTo(taken.seq());
        assertThat(again.deliveries()).isEqualTo(2);
        first.send(new Ack(1, new long[] {taken.tag()}));        // too late: ignored
        second.send(new Ack(2, new long[] {again.tag()}));
        await("acked once").atMost(WAIT).until(() -> fixture.status(broker).contains("\"acked\":1"));
    }

    @Test
    void shouldRedeliverWhenTheConsumersPeerGoes() {
        Broker broker = fixture.start(RunningBrokerFixture.config(data));
        QueuePeer producer = fixture.peer(broker);
        QueuePeer doomed = fixture.peer(broker);
        fixture.enqueue(producer, 1, "jobs", "", "job");
        doomed.send(new Consume(1, "jobs", 1));
        Deliver taken = doomed.expect(Command.DELIVER, WAIT);
        doomed.close();   // silent from now on: expired after the liveness window

        producer.send(new Consume(5, "jobs", 1));
        producer.expect(Command.CONSUMING, WAIT);
        Deliver again = producer.expect(Command.DELIVER, WAIT);
        assertThat(again.seq()).isEqualTo(taken.seq());
        assertThat(again.deliveries()).isEqualTo(2);
    }

    @Test
    void shouldAnswerDuplicatesAndRefuseAFullQueue() {
        BrokerConfig config = RunningBrokerFixture.config(data).withQueues(new QueuesConfig(QueueSettings.defaults(),
                Map.of("tiny", QueueSettings.defaults().withMaxMessages(1))));
        Broker broker = fixture.start(config);
        QueuePeer peer = fixture.peer(broker);

        Confirm original = fixture.enqueue(peer, 1, "tiny", "order-42", "a");
        Confirm again = fixture.enqueue(peer, 2, "tiny", "order-42", "a");
        assertThat(again.duplicate()).isTrue();
        assertThat(again.seq()).isEqualTo(original.seq());
        assertThat(again.correlationId()).isEqualTo(2);

        peer.send(new Enqueue(3, "tiny", "order-43", 0, Headers.EMPTY, "b".getBytes(StandardCharsets.UTF_8)));
        ErrorReply full = peer.expect(Command.ERROR, WAIT);
        assertThat(full.code()).isEqualTo(ErrorCode.QUEUE_FULL);
        assertThat(full.correlationId()).isEqualTo(3);
        assertThat(full.reason()).contains("tiny").contains("maxMessages");
    }

    @Test
    void shouldCancelAndRefuseAConsumerIdInUseOnAnotherQueue() {
        Broker broker = fixture.start(RunningBrokerFixture.config(data));
        QueuePeer peer = fixture.peer(broker);
        peer.send(new Consume(1, "a", 1));
        peer.expect(Command.CONSUMING, WAIT);

        peer.send(new Consume(1, "b", 1));
        Cancelled refused = peer.expect(Command.CANCELLED, WAIT);
        assertThat(refused.reason()).isEqualTo("consumer id in use on another queue");
        peer.send(new Cancel(1));
        assertThat(((Cancelled) peer.expect(Command.CANCELLED, WAIT)).reason()).isEqualTo("cancelled");
        peer.send(new Cancel(1));
        assertThat(((Cancelled) peer.expect(Command.CANCELLED, WAIT)).reason()).isEqualTo("no such consumer");
    }

    @Test
    void shouldCountQueueCommandsABrokerNeverReceivesAsMalformed() {
        Broker broker = fixture.start(RunningBrokerFixture.config(data));
        QueuePeer peer = fixture.peer(broker);

        peer.send(new Confirm(1, "jobs", 1, false));
        peer.send(new Consuming(1, "jobs"));
        peer.send(new Cancelled(1, "x"));
        peer.send(new QueueAdminReply(1, 0, java.util.List.of()));
        peer.send(new Deliver(1, "jobs", 1, 1, 1, 0, Headers.EMPTY, new byte[0]));

        await("five counted").atMost(WAIT).until(() -> broker.stats().malformedMessages() == 5);
        assertThat(fixture.status(broker)).contains("\"queues\":[]");
    }

    @Test
    void shouldCancelConsumersWhenDraining() throws InterruptedException {
        Broker broker = fixture.start(RunningBrokerFixture.config(data));
        QueuePeer consumer = fixture.peer(broker);
        consumer.send(new Consume(3, "jobs", 1));
        consumer.expect(Command.CONSUMING, WAIT);

        Thread drainer = new Thread(() -> broker.shutdown(Duration.ofSeconds(1)), "test-drain");
        drainer.start();
        Cancelled cancelled = consumer.expect(Command.CANCELLED, WAIT);
        assertThat(cancelled.reason()).isEqualTo("broker shutting down");
        drainer.join(WAIT.toMillis());
    }

    static String body(Deliver d) {
        return new String(d.body(), StandardCharsets.UTF_8);
    }
}
