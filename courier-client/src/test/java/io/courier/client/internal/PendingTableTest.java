package io.courier.client.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.courier.client.EnqueueReceipt;
import io.courier.client.Message;
import io.courier.client.RequestOptions;
import io.courier.client.internal.PendingOperation.Kind;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Enqueue;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Publish;
import io.courier.protocol.codec.NativeMessage.QueueAdmin;
import io.courier.protocol.codec.NativeMessage.QueueAdmin.Operation;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply;
import io.courier.protocol.codec.NativeMessage.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pending-operation table on its own: a manual clock, an outbox that records (or refuses), no threads. */
@Timeout(10)
class PendingTableTest {
    private final List<NativeMessage> sent = new ArrayList<>();
    private final InFlightWindow inFlight = new InFlightWindow(1_000);
    private boolean socketFull;
    private long now = 1_000;
    private final PendingTable table = new PendingTable("test", this::send, () -> now, inFlight);

    private boolean send(NativeMessage message) {
        return !socketFull && sent.add(message);
    }

    private <T extends PendingOperation> T submit(T op) {
        inFlight.tryAcquire();   // the handle takes a place before queuing an operation
        table.submit(op);
        return op;
    }

    private CompletableFuture<Message> request(long timeoutMillis) {
        CompletableFuture<Message> future = new CompletableFuture<>();
        submit(PendingRequest.request("echo", Headers.EMPTY, new byte[1], RequestOptions.of(
                Duration.ofMillis(timeoutMillis), 0), future));
        return future;
    }

    private CompletableFuture<Long> publish(String body, long timeoutMillis) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        submit(new PendingPublish("t", Headers.EMPTY, body.getBytes(UTF_8), timeoutMillis, future));
        return future;
    }

    private CompletableFuture<EnqueueReceipt> enqueue(String id, long timeoutMillis) {
        CompletableFuture<EnqueueReceipt> future = new CompletableFuture<>();
        submit(new PendingEnqueue("jobs", id, 0, Headers.EMPTY, id.getBytes(UTF_8), timeoutMillis, future));
        return future;
    }

    private CompletableFuture<Integer> purge(long timeoutMillis) {
        CompletableFuture<Integer> future = new CompletableFuture<>();
        submit(new PendingAdmin<>(Operation.PURGE, "jobs", 0, timeoutMillis, QueueAdminReply::affected, future));
        return future;
    }

    private <T extends NativeMessage> List<T> sent(Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static long idOf(NativeMessage message) {
        if (message instanceof Request r) {
            return r.correlationId();
        } else if (message instanceof Publish p) {
            return p.correlationId();
        } else if (message instanceof Enqueue e) {
            return e.correlationId();
        }
        return ((QueueAdmin) message).correlationId();
    }

    private static CourierException failure(CompletableFuture<?> future) {
        return (CourierException) catchThrowableOfType(CompletionException.class, future::join).getCause();
    }

    @Test
    void shouldRouteEachErrorToTheOperationItsIdBelongsTo() {
        table.onConnected();
        CompletableFuture<Message> request = request(1_000);
        CompletableFuture<Long> publish = publish("p", 1_000);
        CompletableFuture<EnqueueReceipt> enqueue = enqueue("e", 1_000);
        CompletableFuture<Integer> purge = purge(1_000);
        assertThat(sent).hasSize(4);

        for (int i = sent.size() - 1; i >= 0; i--) {
            table.onError(new ErrorReply(idOf(sent.get(i)), ErrorCode.UNAVAILABLE, "broker shutting down"));
        }

        assertThat(failure(request)).hasMessageStartingWith("request to 'echo' failed: broker shutting down");
        assertThat(failure(publish)).hasMessageStartingWith("publish to 't' failed: broker shutting down");
        assertThat(failure(enqueue)).hasMessageStartingWith("enqueue to 'jobs' failed: broker shutting down");
        assertThat(failure(purge)).hasMessageStartingWith("purge of queue 'jobs' failed: broker shutting down");
        assertThat(table.size()).isZero();
        assertThat(table.strays()).isZero();
        assertThat(inFlight.used()).isZero();
    }

    @Test
    void shouldCountAndIgnoreErrorsAndAnswersForIdsItDoesNotKnow() {
        table.onConnected();
        CompletableFuture<Long> publish = publish("p", 1_000);
        long id = idOf(sent.get(0));

        table.onError(new ErrorReply(0, ErrorCode.REFUSED, "a fire-and-forget publish"));
        table.onError(new ErrorReply(id + 1_000_000, ErrorCode.PROTOCOL, "nobody's"));
        PendingOperation asRequest = table.answered(id, Kind.REQUEST);
        PendingOperation asPublish = table.answered(id, Kind.PUBLISH);

        assertThat(asRequest).as("an answer is taken only by the kind it is for").isNull();
        assertThat(asPublish).isNotNull();
        assertThat(publish).isNotDone();
        assertThat(table.strays()).isEqualTo(3);
        assertThat(table.size()).isZero();
        assertThat(inFlight.used()).isZero();
    }

    @Test
    void shouldGivePublishesIdsCountingDownAndTheOthersIdsCountingUp() {
        table.onConnected();
        request(1_000);
        publish("a", 1_000);
        enqueue("e", 1_000);
        publish("b", 1_000);
        purge(1_000);

        assertThat(sent).extracting(PendingTableTest::idOf).containsExactly(1L, -1L, 2L, -2L, 3L);
    }

    @Test
    void shouldRefuseWhenClosedRefusedOrTooLarge() {
        table.onWelcome(Headers.of(Map.of("max-message-bytes", "4")));
        CompletableFuture<Long> tooLarge = publish("12345", 1_000);
        CompletableFuture<Integer> bodiless = purge(1_000);
        CompletableFuture<EnqueueReceipt> pending = enqueue("1234", 1_000);

        table.onRefused("refused by the broker at tcp://b:1: authentication failed");
        CompletableFuture<Long> whileRefused = publish("a", 1_000);
        table.onAccepted();
        CompletableFuture<Long> accepted = publish("b", 1_000);
        table.onClose();
        CompletableFuture<Long> afterClose = publish("c", 1_000);

        assertThat(failure(tooLarge).reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(failure(tooLarge)).hasMessageContaining("body of 5 bytes is over the broker's max-message-bytes 4");
        assertThat(failure(bodiless).reason()).isEqualTo(Reason.REFUSED);
        assertThat(failure(pending).reason()).isEqualTo(Reason.REFUSED);
        assertThat(failure(pending)).hasMessageContaining("authentication failed");
        assertThat(failure(whileRefused).reason()).isEqualTo(Reason.REFUSED);
        assertThat(failure(accepted).reason()).isEqualTo(Reason.CLOSED);
        assertThat(failure(accepted)).hasMessageEndingWith("failed: client closed [reason=CLOSED]");
        assertThat(failure(afterClose)).hasMessageEndingWith("failed: client is closed [reason=CLOSED]");
        assertThat(sent).isEmpty();
        assertThat(inFlight.used()).isZero();
        assertThat(table.onTimers(now + 10_000)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldExpireOperationsOnTheTimersEachWithItsKindsWords() {
        CompletableFuture<EnqueueReceipt> enqueue = enqueue("e", 100);
        CompletableFuture<Integer> purge = purge(100);
        CompletableFuture<Long> publish = publish("p", 200);

        assertThat(table.onTimers(now + 99)).isEqualTo(now + 100);
        assertThat(table.onTimers(now + 100)).isEqualTo(now + 200);

        assertThat(failure(enqueue).reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(failure(enqueue)).hasMessageStartingWith("enqueue to 'jobs' not confirmed within 100ms");
        assertThat(failure(purge)).hasMessageStartingWith("purge of queue 'jobs' not answered within 100ms");
        assertThat(publish).isNotDone();
        assertThat(table.onTimers(now + 200)).isEqualTo(Long.MAX_VALUE);
        assertThat(failure(publish)).hasMessageStartingWith("publish to 't' timed out after 200ms");
        assertThat(inFlight.used()).isZero();
    }

    @Test
    void shouldKeepOnlyTheOperationsALostSocketLeavesInDoubtAndSendThemAgainOnTheNext() {
        table.onConnected();
        CompletableFuture<Message> request = request(500);
        CompletableFuture<Long> publish = publish("sent", 1_000);
        CompletableFuture<EnqueueReceipt> enqueue = enqueue("e", 1_000);
        CompletableFuture<Integer> purge = purge(1_000);
        socketFull = true;
        CompletableFuture<Long> waiting = publish("waiting", 1_000);   // never left: waits for the next socket
        socketFull = false;
        long enqueueId = sent(Enqueue.class).get(0).correlationId();
        assertThat(sent).hasSize(4);

        table.onDisconnected();
        sent.clear();
        now += 100;
        table.onConnected();

        assertThat(failure(publish).reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(failure(publish)).hasMessageContaining("it may or may not be published");
        assertThat(failure(purge).reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(sent).hasSize(3);
        assertThat(((Request) sent.get(0)).timeoutMillis()).isEqualTo(400);
        assertThat(((Enqueue) sent.get(1)).correlationId()).isEqualTo(enqueueId);
        assertThat(new String(((Publish) sent.get(2)).body(), UTF_8)).isEqualTo("waiting");
        assertThat(table.resent()).as("the request and the enqueue; the publish never left").isEqualTo(2);
        assertThat(request).isNotDone();
        assertThat(enqueue).isNotDone();
        assertThat(waiting).isNotDone();
        assertThat(table.size()).isEqualTo(3);
    }

    @Test
    void shouldNotSendARequestAgainOnANewSocketOnceItsAttemptIsOver() {
        table.onConnected();
        request(100);
        table.onDisconnected();
        sent.clear();

        now += 100;
        table.onConnected();

        assertThat(sent).isEmpty();
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void shouldTryAgainSoonOnlyTheKindsThatDoWhenTheSendQueueIsFull() {
        table.onConnected();
        socketFull = true;
        enqueue("e", 1_000);
        publish("p", 1_000);
        assertThat(table.onTimers(now)).isEqualTo(now + PendingTable.RECHECK_MILLIS);

        socketFull = false;
        now += PendingTable.RECHECK_MILLIS;
        long next = table.onTimers(now);

        assertThat(sent).singleElement().isInstanceOf(Enqueue.class);
        assertThat(next).as("the publish waits for its deadline or the next socket").isEqualTo(1_000 + 1_000);
        assertThat(table.resent()).isZero();
    }
}
