package io.courier.client.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.courier.client.ConsumeOptions;
import io.courier.client.EnqueueReceipt;
import io.courier.client.QueueDelivery;
import io.courier.client.QueueHandler;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage;
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
import io.courier.protocol.codec.NativeMessage.QueueAdmin.Operation;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Drives the queue core directly: a manual clock, an outbox that records (or refuses), handlers run inline. */
class QueueClientCoreTest {
    private final List<NativeMessage> sent = new ArrayList<>();
    private final InFlightWindow inFlight = new InFlightWindow(1_000);
    private boolean socketFull;
    private long now = 1_000;
    private final ClientCore client = new ClientCore("test", this::send, () -> now, inFlight);
    private final QueueClientCore core = client.queues();
    private final List<QueueDelivery> handled = new ArrayList<>();
    private final List<String> cancelled = new ArrayList<>();

    private boolean send(NativeMessage message) {
        if (socketFull) {
            return false;
        }
        sent.add(message);
        return true;
    }

    private <T extends NativeMessage> List<T> sent(Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private CompletableFuture<EnqueueReceipt> enqueue(String id, long timeoutMillis) {
        CompletableFuture<EnqueueReceipt> future = new CompletableFuture<>();
        inFlight.tryAcquire();   // the handle counts it in before queuing it
        core.onEnqueue(new PendingEnqueue("jobs", id, 0, Headers.EMPTY, id.getBytes(UTF_8), timeoutMillis, future));
        return future;
    }

    /** Adds a consumer with prefetch 8 whose handler runs inline. */
    private ConsumerHandle consumer(long id, QueueHandler handler) {
        ConsumerHandle handle = new ConsumerHandle(id, "jobs", ConsumeOptions.defaults().withPrefetch(8), handler,
                Runnable::run, core::settleLater, () -> core.cancelLater(id));
        core.onConsume(handle);
        return handle;
    }

    /** Records each delivery and nacks it with a 1ms delay; records cancels. */
    private QueueHandler recording() {
        return new QueueHandler() {
            @Override
            public void onDelivery(QueueDelivery delivery) {
                handled.add(delivery);
                delivery.nack(Duration.ofMillis(1));   // settled here so that the default ack does not kick in
            }

            @Override
            public void onCancelled(String reason) {
                cancelled.add(reason);
            }
        };
    }

    private static Deliver deliver(long consumer, long tag) {
        return new Deliver(consumer, "jobs", tag, tag, 1, 1_700_000_000_000L, Headers.EMPTY,
                ("m" + tag).getBytes(UTF_8));
    }

    private static CourierException failure(CompletableFuture<?> future) {
        return (CourierException) catchThrowableOfType(CompletionException.class, future::join).getCause();
    }

    @Test
    void shouldResendUnconfirmedEnqueuesWithTheSameIdsOnANewSocket() {
        client.onConnected();
        CompletableFuture<EnqueueReceipt> first = enqueue("id-1", 5_000);
        CompletableFuture<EnqueueReceipt> second = enqueue("id-2", 5_000);
        List<Enqueue> before = sent(Enqueue.class);
        assertThat(before).extracting(Enqueue::messageId).containsExactly("id-1", "id-2");
        client.onMessage(new Confirm(before.get(0).correlationId(), "jobs", 7, false));

        client.onDisconnected();
        sent.clear();
        client.onConnected();

        List<Enqueue> after = sent(Enqueue.class);
        assertThat(after).hasSize(1);
        assertThat(after.get(0).correlationId()).isEqualTo(before.get(1).correlationId());
        assertThat(after.get(0).messageId()).isEqualTo("id-2");
        client.onMessage(new Confirm(after.get(0).correlationId(), "jobs", 8, true));
        assertThat(first.join()).isEqualTo(new EnqueueReceipt("jobs", 7, false, "id-1"));
        assertThat(second.join()).isEqualTo(new EnqueueReceipt("jobs", 8, true, "id-2"));
        assertThat(inFlight.used()).isEqualTo(0);
        assertThat(client.table().resent()).isEqualTo(1);
    }

    @Test
    void shouldWaitForASocketAndRetryWhenTheSendQueueIsFull() {
        CompletableFuture<EnqueueReceipt> waiting = enqueue("a", 5_000);
        assertThat(sent).isEmpty();
        socketFull = true;
        client.onConnected();
        assertThat(client.onTimers(now)).isEqualTo(now + PendingTable.RECHECK_MILLIS);

        socketFull = false;
        client.onTimers(now += 10);

        assertThat(sent(Enqueue.class)).hasSize(1);
        assertThat(waiting).isNotDone();
        assertThat(client.table().resent()).isZero();
    }

    @Test
    void shouldMapErrorsAndTimeouts() {
        client.onConnected();
        CompletableFuture<EnqueueReceipt> full = enqueue("a", 5_000);
        CompletableFuture<EnqueueReceipt> large = enqueue("b", 5_000);
        CompletableFuture<EnqueueReceipt> gone = enqueue("c", 5_000);
        CompletableFuture<EnqueueReceipt> slow = enqueue("d", 200);
        List<Enqueue> out = sent(Enqueue.class);

        client.onMessage(new ErrorReply(out.get(0).correlationId(), ErrorCode.QUEUE_FULL,
                "queue 'jobs' is full: maxMessages 10"));
        client.onMessage(new ErrorReply(out.get(1).correlationId(), ErrorCode.TOO_LARGE, "over 1024 bytes"));
        client.onMessage(new ErrorReply(out.get(2).correlationId(), ErrorCode.UNAVAILABLE, "broker shutting down"));
        client.onTimers(now += 200);

        assertThat(failure(full).reason()).isEqualTo(Reason.BACKPRESSURE);
        assertThat(failure(full)).hasMessageContaining("maxMessages 10").hasMessageContaining("code 429");
        assertThat(failure(large).reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(failure(gone).reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(failure(slow).reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(failure(slow)).hasMessageContaining("not confirmed within 200ms");
        assertThat(inFlight.used()).isEqualTo(0);
    }

    @Test
    void shouldBatchTheAcksOfOnePassIntoOneAckPerConsumer() {
        client.onConnected();
        List<QueueDelivery> open = new ArrayList<>();
        ConsumerHandle handle = new ConsumerHandle(1, "jobs", ConsumeOptions.defaults(), d -> {
            open.add(d);
            if (d.tag() <= 3) {
                throw new IllegalStateException("not yet");   // nacked by default
            }
        }, Runnable::run, core::settleLater, () -> core.cancelLater(1));
        core.onConsume(handle);
        assertThat(sent(Consume.class)).containsExactly(new Consume(1, "jobs", 64));
        client.onMessage(new Consuming(1, "jobs"));
        assertThat(handle.consuming()).isDone();

        for (long tag = 1; tag <= 3; tag++) {
            client.onMessage(deliver(1, tag));
        }
        client.onTimers(now);

        assertThat(sent(Nack.class)).containsExactly(new Nack(1, 1, true, 0), new Nack(1, 2, true, 0),
                new Nack(1, 3, true, 0));
        assertThat(sent(Ack.class)).isEmpty();
        sent.clear();
        client.onMessage(deliver(1, 4));
        client.onMessage(deliver(1, 5));
        ConsumerHandle other = new ConsumerHandle(2, "jobs", ConsumeOptions.defaults(), d -> { }, Runnable::run,
                core::settleLater, () -> core.cancelLater(2));
        core.onConsume(other);
        client.onMessage(deliver(2, 6));
        client.onTimers(now);

        List<Ack> acks = sent(Ack.class);
        assertThat(acks).hasSize(2);
        assertThat(acks.get(0).consumerId()).isEqualTo(1);
        assertThat(acks.get(0).tags()).containsExactly(4, 5);
        assertThat(acks.get(1).tags()).containsExactly(6);
        assertThat(open).hasSize(5);
    }

    @Test
    void shouldConsumeAgainOnANewSocketAndDropSettlesOfTheEndedSession() {
        client.onConnected();
        consumer(1, recording());
        client.onMessage(deliver(1, 1));
        client.onTimers(now);
        assertThat(sent(Nack.class)).containsExactly(new Nack(1, 1, true, 1));
        sent.clear();

        client.onDisconnected();
        core.settleLater(new Settle(1, 1, 1, Settle.Outcome.ACK, 0));   // while no socket
        client.onTimers(now);
        client.onConnected();
        core.settleLater(new Settle(1, 1, 1, Settle.Outcome.ACK, 0));   // from the old session
        core.settleLater(new Settle(1, 2, 2, Settle.Outcome.ACK, 0));   // from this one
        client.onTimers(now);

        assertThat(sent(Consume.class)).containsExactly(new Consume(1, "jobs", 8));
        assertThat(sent(Ack.class)).singleElement().satisfies(a -> assertThat(a.tags()).containsExactly(2));
        assertThat(core.droppedSettles()).isEqualTo(2);
    }

    @Test
    void shouldSendNackWithDelayAndRejectAsDeadLetter() {
        client.onConnected();
        List<QueueDelivery> open = new ArrayList<>();
        ConsumerHandle handle = new ConsumerHandle(1, "jobs", ConsumeOptions.defaults(), d -> {
            open.add(d);
            switch ((int) d.tag()) {
                case 1 -> d.nack(Duration.ofMillis(250));
                case 2 -> d.reject();
                default -> {
                    d.ack();
                    d.nack();   // only the first settle counts
                }
            }
        }, Runnable::run, core::settleLater, () -> core.cancelLater(1));
        core.onConsume(handle);
        client.onMessage(deliver(1, 1));
        client.onMessage(deliver(1, 2));
        client.onMessage(deliver(1, 3));
        client.onTimers(now);

        assertThat(sent(Nack.class)).containsExactly(new Nack(1, 1, true, 250), new Nack(1, 2, false, 0));
        assertThat(sent(Ack.class)).singleElement().satisfies(a -> assertThat(a.tags()).containsExactly(3));
        assertThat(open).allSatisfy(d -> assertThat(d.isSettled()).isTrue());
    }

    @Test
    void shouldSendSettlesBeforeTheCancelAndIgnoreDeliveriesAfterIt() {
        client.onConnected();
        List<QueueDelivery> open = new ArrayList<>();
        ConsumerHandle handle = new ConsumerHandle(1, "jobs", ConsumeOptions.defaults(), open::add, Runnable::run,
                core::settleLater, () -> core.cancelLater(1));
        core.onConsume(handle);
        client.onMessage(deliver(1, 1));
        sent.clear();

        handle.close();
        client.onMessage(deliver(1, 2));
        client.onTimers(now);

        assertThat(sent).hasSize(2);
        assertThat(sent.get(0)).isInstanceOf(Ack.class);
        assertThat(sent.get(1)).isEqualTo(new Cancel(1));
        assertThat(open).hasSize(1);
        assertThat(failure(handle.consuming()).reason()).isEqualTo(Reason.CLOSED);
        assertThat(core.consumerCount()).isZero();
    }

    @Test
    void shouldEndAConsumerRefusedBeforeConsumingAndKeepOneCancelledForShutdown() {
        client.onConnected();
        ConsumerHandle refused = consumer(1, recording());
        ConsumerHandle kept = consumer(2, recording());
        client.onMessage(new Consuming(2, "jobs"));

        client.onMessage(new Cancelled(1, "refused: queue 'jobs' not allowed"));
        client.onMessage(new Cancelled(2, "broker shutting down"));

        assertThat(failure(refused.consuming()).reason()).isEqualTo(Reason.REFUSED);
        assertThat(refused.isActive()).isFalse();
        assertThat(cancelled).containsExactly("refused: queue 'jobs' not allowed");
        assertThat(kept.isActive()).isTrue();
        sent.clear();
        client.onDisconnected();
        client.onConnected();
        assertThat(sent(Consume.class)).containsExactly(new Consume(2, "jobs", 8));
    }

    @Test
    void shouldAnswerAdminCommandsAndFailOnesLostWithTheSocket() {
        client.onConnected();
        CompletableFuture<Integer> purged = new CompletableFuture<>();
        CompletableFuture<Integer> replayed = new CompletableFuture<>();
        inFlight.tryAcquire();
        inFlight.tryAcquire();
        core.onAdmin(new PendingAdmin<>(Operation.PURGE, "jobs", 0, 1_000, QueueAdminReply::affected, purged));
        core.onAdmin(new PendingAdmin<>(Operation.REPLAY, "jobs.dlq", 5, 1_000, QueueAdminReply::affected,
                replayed));
        List<QueueAdmin> out = sent(QueueAdmin.class);
        assertThat(out).extracting(QueueAdmin::operation).containsExactly(Operation.PURGE, Operation.REPLAY);
        assertThat(out.get(1).count()).isEqualTo(5);
        assertThat(client.table().size()).isEqualTo(2);

        client.onMessage(new QueueAdminReply(out.get(0).correlationId(), 12, List.of()));
        client.onDisconnected();
        client.onConnected();

        assertThat(purged.join()).isEqualTo(12);
        assertThat(failure(replayed).reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(sent(QueueAdmin.class)).hasSize(2);   // never sent twice
        assertThat(inFlight.used()).isEqualTo(0);
    }

    @Test
    void shouldFailEverythingPendingOnClose() {
        CompletableFuture<EnqueueReceipt> pending = enqueue("a", 5_000);
        ConsumerHandle handle = consumer(1, recording());

        client.onClose();

        assertThat(failure(pending).reason()).isEqualTo(Reason.CLOSED);
        assertThat(failure(handle.consuming()).reason()).isEqualTo(Reason.CLOSED);
        assertThat(cancelled).containsExactly("client closed");
        assertThat(failure(enqueue("b", 5_000)).reason()).isEqualTo(Reason.CLOSED);
        assertThat(inFlight.used()).isEqualTo(0);
    }
}
