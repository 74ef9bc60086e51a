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
import io.courier.protocol.codec.NativeMessage.PubAck;
import io.courier.protocol.codec.NativeMessage.Publish;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Publishes through the client core (which routes PUBACK and publish ERRORs): manual clock, recording outbox. */
class PublisherTest {
    private static final long TIMEOUT = 500;

    private final List<NativeMessage> sent = new ArrayList<>();
    private final InFlightWindow inFlight = new InFlightWindow(1_000);
    private boolean connected = true;
    private long now;
    private final Outbox outbox = m -> connected && sent.add(m);
    private final PendingTable table = new PendingTable("test", outbox, () -> now, inFlight);
    private final StreamClientCore streams = new StreamClientCore(outbox, () -> now, table, 5_000);
    private final ClientCore core = new ClientCore(table, streams, new QueueClientCore(outbox, table));

    @BeforeEach
    void connect() {
        core.onConnected();
    }

    private CompletableFuture<Long> publish(String body) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        inFlight.tryAcquire();   // the handle counts a publish in before queuing it
        streams.onPublish(new PendingPublish("t", Headers.of(Map.of("k", "v")), body.getBytes(UTF_8), TIMEOUT,
                future));
        return future;
    }

    private Publish lastPublish() {
        return (Publish) sent.get(sent.size() - 1);
    }

    private static CourierException failure(CompletableFuture<?> future) {
        return (CourierException) catchThrowableOfType(CompletionException.class, future::join).getCause();
    }

    @Test
    void shouldCompleteWithTheSeqOfThePubAck() {
        CompletableFuture<Long> first = publish("a");
        CompletableFuture<Long> second = publish("b");
        Publish a = (Publish) sent.get(0);
        Publish b = (Publish) sent.get(1);

        core.onMessage(new PubAck(b.correlationId(), "t", 8));
        core.onMessage(new PubAck(a.correlationId(), "t", 7));

        assertThat(a.correlationId()).isNegative();
        assertThat(b.correlationId()).isNotEqualTo(a.correlationId()).isNegative();
        assertThat(a.topic()).isEqualTo("t");
        assertThat(a.headers().get("k")).isEqualTo("v");
        assertThat(new String(a.body(), UTF_8)).isEqualTo("a");
        assertThat(first.join()).isEqualTo(7);
        assertThat(second.join()).isEqualTo(8);
        assertThat(inFlight.used()).isEqualTo(0);
    }

    @Test
    void shouldMapAnErrorToTheReasonOfItsCode() {
        CompletableFuture<Long> future = publish("a");

        core.onMessage(new ErrorReply(lastPublish().correlationId(), ErrorCode.QUEUE_FULL, "too many streams"));

        CourierException error = failure(future);
        assertThat(error.reason()).isEqualTo(Reason.BACKPRESSURE);
        assertThat(error.getMessage()).startsWith("publish to 't' failed: too many streams (code 429)");
        assertThat(inFlight.used()).isEqualTo(0);
    }

    @Test
    void shouldLeaveRequestErrorsToRequests() {
        CompletableFuture<Long> future = publish("a");

        core.onMessage(new ErrorReply(1, ErrorCode.PROTOCOL, "not mine"));

        assertThat(future).isNotDone();
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void shouldTimeOutWithoutAnAnswer() {
        CompletableFuture<Long> future = publish("a");

        assertThat(core.onTimers(now)).isEqualTo(TIMEOUT);
        now = TIMEOUT;
        core.onTimers(now);

        assertThat(failure(future).reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(failure(future).getMessage()).startsWith("publish to 't' timed out after 500ms");
        assertThat(inFlight.used()).isEqualTo(0);
        core.onMessage(new PubAck(lastPublish().correlationId(), "t", 1));
        assertThat(failure(future).reason()).isEqualTo(Reason.TIMEOUT);
    }

    @Test
    void shouldSendAnUnsentPublishOnTheNextSocketButNeverResendASentOne() {
        CompletableFuture<Long> sentOne = publish("sent");
        connected = false;
        CompletableFuture<Long> unsent = publish("unsent");

        core.onDisconnected();
        connected = true;
        core.onConnected();

        assertThat(failure(sentOne).reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(sent).hasSize(2);
        assertThat(new String(lastPublish().body(), UTF_8)).isEqualTo("unsent");
        core.onMessage(new PubAck(lastPublish().correlationId(), "t", 3));
        assertThat(unsent.join()).isEqualTo(3);
        assertThat(inFlight.used()).isEqualTo(0);
    }

    @Test
    void shouldRefuseABodyOverTheBrokersLimit() {
        core.onWelcome(Headers.of(Map.of("max-message-bytes", "4")));

        CompletableFuture<Long> future = publish("12345");

        assertThat(failure(future).reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldSendFireAndForgetWithCorrelationIdZeroAndCountDrops() {
        streams.onPublishAndForget(new Publish(0, "t", Headers.EMPTY, "x".getBytes(UTF_8)));
        connected = false;
        streams.onPublishAndForget(new Publish(0, "t", Headers.EMPTY, "y".getBytes(UTF_8)));

        assertThat(sent).hasSize(1);
        assertThat(lastPublish().correlationId()).isZero();
        assertThat(streams.publishes().dropped()).isEqualTo(1);
        assertThat(inFlight.used()).isEqualTo(0);
    }

    @Test
    void shouldFailPendingPublishesWithClosed() {
        CompletableFuture<Long> future = publish("a");

        core.onClose();
        CompletableFuture<Long> late = publish("b");

        assertThat(failure(future).reason()).isEqualTo(Reason.CLOSED);
        assertThat(failure(late).reason()).isEqualTo(Reason.CLOSED);
        assertThat(inFlight.used()).isEqualTo(0);
    }
}
