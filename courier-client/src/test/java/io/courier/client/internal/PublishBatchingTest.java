package io.courier.client.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.PubAckBatch;
import io.courier.protocol.codec.NativeMessage.Publish;
import io.courier.protocol.codec.NativeMessage.PublishBatch;
import io.courier.protocol.codec.StreamBatches;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Publishes of one loop pass leave as one PUBLISH_BATCH once the broker's WELCOME says it takes them, and
 * PUBACK_BATCH and ERROR settle each publish of the batch. Manual clock, recording outbox.
 */
@Timeout(10)
class PublishBatchingTest {
    private static final long TIMEOUT = 500;

    private final List<NativeMessage> sent = new ArrayList<>();
    private final InFlightWindow inFlight = new InFlightWindow(1_000);
    private boolean connected = true;
    private long now;
    private final Outbox outbox = m -> connected && sent.add(m);
    private final PendingTable table = new PendingTable("test", outbox, () -> now, inFlight);
    private final StreamClientCore streams = new StreamClientCore(outbox, () -> now, table, 5_000);
    private final ClientCore core = new ClientCore(table, streams, new QueueClientCore(outbox, table));

    private void welcome(boolean batches) {
        core.onConnected();
        sent.clear();
        core.onWelcome(Headers.of(batches ? Map.of(StreamBatches.PROPERTY, "1") : Map.of()));
    }

    private CompletableFuture<Long> publish(String body) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        inFlight.tryAcquire();
        streams.onPublish(new PendingPublish("t", Headers.EMPTY, body.getBytes(UTF_8), TIMEOUT, future));
        return future;
    }

    private static CourierException failure(CompletableFuture<?> future) {
        return (CourierException) catchThrowableOfType(CompletionException.class, future::join).getCause();
    }

    @Test
    void shouldSendThePublishesOfOnePassAsOneBatchAndCompleteEachFromThePubAckBatch() {
        welcome(true);
        CompletableFuture<Long> a = publish("a");
        CompletableFuture<Long> b = publish("b");
        CompletableFuture<Long> c = publish("c");
        assertThat(sent).as("nothing before the end of the pass").isEmpty();

        core.onTimers(now);

        assertThat(sent).singleElement().isInstanceOf(PublishBatch.class);
        PublishBatch batch = (PublishBatch) sent.get(0);
        assertThat(batch.entries()).extracting(e -> new String(e.body(), UTF_8)).containsExactly("a", "b", "c");
        core.onMessage(new PubAckBatch(batch.correlationId(), new long[] {4, 0, 6}));
        assertThat(a.join()).isEqualTo(4);
        assertThat(failure(b).reason()).isEqualTo(Reason.BACKPRESSURE);
        assertThat(c.join()).isEqualTo(6);
        assertThat(inFlight.used()).isEqualTo(0);
    }

    @Test
    void shouldSendALonePublishAsAPlainPublish() {
        welcome(true);
        publish("a");
        core.onTimers(now);
        assertThat(sent).singleElement().isInstanceOf(Publish.class);
    }

    @Test
    void shouldNotBatchForABrokerWithoutBatches() {
        welcome(false);
        publish("a");
        publish("b");
        assertThat(sent).hasSize(2).allMatch(m -> m instanceof Publish);
    }

    @Test
    void shouldFailEveryPublishOfABatchOnItsError() {
        welcome(true);
        CompletableFuture<Long> a = publish("a");
        CompletableFuture<Long> b = publish("b");
        core.onTimers(now);
        PublishBatch batch = (PublishBatch) sent.get(0);

        core.onMessage(new ErrorReply(batch.correlationId(), ErrorCode.TOO_LARGE, "too large"));

        assertThat(failure(a).reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(failure(b).reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(inFlight.used()).isEqualTo(0);
    }

    @Test
    void shouldKeepTheOrderOfConfirmedAndFireAndForgetPublishes() {
        welcome(true);
        publish("a");
        publish("b");
        streams.onPublishAndForget(new Publish(0, "t", Headers.EMPTY, "c".getBytes(UTF_8)));
        streams.onPublishAndForget(new Publish(0, "t", Headers.EMPTY, "d".getBytes(UTF_8)));
        publish("e");
        core.onTimers(now);

        assertThat(sent).hasSize(3);
        assertThat(((PublishBatch) sent.get(0)).correlationId()).isNegative();
        assertThat(((PublishBatch) sent.get(1)).correlationId()).isZero();
        assertThat(((PublishBatch) sent.get(1)).entries()).hasSize(2);
        assertThat(new String(((Publish) sent.get(2)).body(), UTF_8)).isEqualTo("e");
    }

    @Test
    void shouldSplitBatchesAtTheEntryLimit() {
        welcome(true);
        for (int i = 0; i < PublishBatcher.MAX_ENTRIES + 5; i++) {
            publish("x");
        }
        core.onTimers(now);
        assertThat(sent).hasSize(2);
        assertThat(((PublishBatch) sent.get(0)).entries()).hasSize(PublishBatcher.MAX_ENTRIES);
        assertThat(((PublishBatch) sent.get(1)).entries()).hasSize(5);
    }

    @Test
    void shouldSendAgainOnTheNextSocketWhatFoundNoSocket() {
        welcome(true);
        CompletableFuture<Long> a = publish("a");
        CompletableFuture<Long> b = publish("b");
        connected = false;
        core.onTimers(now);
        core.onDisconnected();
        connected = true;
        core.onConnected();
        assertThat(sent).hasSize(2).allMatch(m -> m instanceof Publish);
        core.onMessage(new NativeMessage.PubAck(((Publish) sent.get(0)).correlationId(), "t", 1));
        core.onMessage(new NativeMessage.PubAck(((Publish) sent.get(1)).correlationId(), "t", 2));
        assertThat(a.join()).isEqualTo(1);
        assertThat(b.join()).isEqualTo(2);
    }
}
