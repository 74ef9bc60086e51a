package io.courier.client.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.courier.client.Message;
import io.courier.client.RequestOptions;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Reply;
import io.courier.protocol.codec.NativeMessage.Request;
import io.courier.protocol.codec.NativeMessage.Status;
import io.courier.protocol.codec.NativeMessage.StatusReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the client core directly: a manual clock, an outbox that records, no threads, no sockets. */
class ClientCoreTest {
    private final List<NativeMessage> sent = new ArrayList<>();
    private final InFlightWindow inFlight = new InFlightWindow(1_000);
    private long now;
    private final ClientCore core = new ClientCore("test", sent::add, () -> now, inFlight);

    @BeforeEach
    void connect() {
        core.onConnected();
    }

    private CompletableFuture<Message> submit(String body, long timeoutMillis, int retries) {
        CompletableFuture<Message> future = new CompletableFuture<>();
        inFlight.tryAcquire();   // the handle counts a request in before queuing it
        core.onSubmit(PendingRequest.request("echo", Headers.EMPTY, body.getBytes(UTF_8),
                RequestOptions.of(Duration.ofMillis(timeoutMillis), retries), future));
        return future;
    }

    private Request lastRequest() {
        return (Request) sent.get(sent.size() - 1);
    }

    private static CourierException failure(CompletableFuture<?> future) {
        return (CourierException) catchThrowableOfType(CompletionException.class, future::join).getCause();
    }

    @Test
    void shouldMatchRepliesInAnyOrderByCorrelationId() {
        CompletableFuture<Message> first = submit("a", 1_000, 0);
        CompletableFuture<Message> second = submit("b", 1_000, 0);
        long idA = ((Request) sent.get(0)).correlationId();
        long idB = ((Request) sent.get(1)).correlationId();

        core.onMessage(new Reply(idB, Headers.of(Map.of("k", "v")), "B".getBytes(UTF_8)));
        core.onMessage(new Reply(idA, Headers.EMPTY, "A".getBytes(UTF_8)));

        assertThat(idB).isGreaterThan(idA);
        assertThat(first.join().bodyAsString()).isEqualTo("A");
        assertThat(second.join().bodyAsString()).isEqualTo("B");
        assertThat(second.join().header("k")).isEqualTo("v");
        assertThat(inFlight.used()).isEqualTo(0);
        assertThat(core.table().size()).isZero();
    }

    @Test
    void shouldRetryWithTheSameCorrelationIdThenTimeOut() {
        CompletableFuture<Message> reply = submit("a", 100, 2);
        long id = lastRequest().correlationId();

        assertThat(core.onTimers(99)).isEqualTo(100);
        now = 100;
        core.onTimers(now);
        assertThat(sent).hasSize(2);
        assertThat(lastRequest().correlationId()).isEqualTo(id);
        assertThat(lastRequest().timeoutMillis()).isEqualTo(100);
        now = 200;
        core.onTimers(now);
        assertThat(sent).hasSize(3);
        assertThat(reply).isNotDone();
        now = 300;
        assertThat(core.onTimers(now)).isEqualTo(Long.MAX_VALUE);

        CourierException error = failure(reply);
        assertThat(error.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(error.getMessage())
                .isEqualTo("request to 'echo' timed out after 300ms (3 attempts) [reason=TIMEOUT]");
        assertThat(sent).hasSize(3);
        assertThat(inFlight.used()).isEqualTo(0);
    }

    @Test
    void shouldTakeALateReplyToAnEarlierAttempt() {
        CompletableFuture<Message> reply = submit("a", 100, 1);
        long id = lastRequest().correlationId();
        now = 100;
        core.onTimers(now);

        core.onMessage(new Reply(id, Headers.EMPTY, "first attempt".getBytes(UTF_8)));
        core.onMessage(new Reply(id, Headers.EMPTY, "second attempt".getBytes(UTF_8)));

        assertThat(reply.join().bodyAsString()).isEqualTo("first attempt");
    }

    @Test
    void shouldRetryAfterExpiredThenFailWithExpired() {
        CompletableFuture<Message> reply = submit("a", 100, 1);
        long id = lastRequest().correlationId();

        now = 10;
        core.onMessage(new ErrorReply(id, ErrorCode.EXPIRED, "expired in queue"));
        assertThat(sent).hasSize(2);
        assertThat(lastRequest().correlationId()).isEqualTo(id);
        now = 20;
        core.onMessage(new ErrorReply(id, ErrorCode.EXPIRED, "expired in queue"));

        CourierException error = failure(reply);
        assertThat(error.reason()).isEqualTo(Reason.EXPIRED);
        assertThat(error.getMessage()).startsWith("request to 'echo' expired in the broker after 200ms (2 attempts)");
    }

    @Test
    void shouldIgnoreTheExpiryOfAnAttemptOurTimerAlreadyRetried() {
        CompletableFuture<Message> reply = submit("a", 100, 1);
        long id = lastRequest().correlationId();
        now = 100;
        core.onTimers(now);

        now = 110;
        core.onMessage(new ErrorReply(id, ErrorCode.EXPIRED, "the first attempt expired"));

        assertThat(reply).isNotDone();
        assertThat(sent).hasSize(2);
        core.onMessage(new Reply(id, Headers.EMPTY, "ok".getBytes(UTF_8)));
        assertThat(reply.join().bodyAsString()).isEqualTo("ok");
    }

    @Test
    void shouldMapErrorCodesToReasons() {
        CompletableFuture<Message> reply = submit("a", 100, 3);

        core.onMessage(new ErrorReply(lastRequest().correlationId(), ErrorCode.UNKNOWN_SERVICE, "no such service"));

        CourierException error = failure(reply);
        assertThat(error.reason()).isEqualTo(Reason.UNKNOWN_SERVICE);
        assertThat(error.getMessage()).startsWith("request to 'echo' failed: no such service (code 404)");
        assertThat(sent).hasSize(1);
    }

    @Test
    void shouldResendOnReconnectOnlyRequestsWithinTheirDeadline() {
        submit("old", 100, 0);
        now = 80;
        submit("new", 100, 0);
        long newId = lastRequest().correlationId();
        sent.clear();

        now = 120;
        core.onDisconnected();
        core.onConnected();

        assertThat(sent).hasSize(1);
        assertThat(lastRequest().correlationId()).isEqualTo(newId);
        assertThat(lastRequest().timeoutMillis()).isEqualTo(60);
    }

    @Test
    void shouldIgnoreRepliesNobodyWaitsFor() {
        core.onMessage(new Reply(42, Headers.EMPTY, new byte[0]));
        core.onMessage(new ErrorReply(43, ErrorCode.EXPIRED, "late"));
        core.onMessage(new StatusReply(44, "{}"));

        assertThat(core.table().size()).isZero();
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldAnswerStatusQueries() {
        CompletableFuture<String> status = new CompletableFuture<>();
        inFlight.tryAcquire();
        core.onSubmit(PendingRequest.status(RequestOptions.of(Duration.ofSeconds(1), 0), status));
        long id = ((Status) sent.get(0)).correlationId();

        core.onMessage(new StatusReply(id, "{\"workers\":2}"));

        assertThat(status.join()).isEqualTo("{\"workers\":2}");
        assertThat(inFlight.used()).isEqualTo(0);
    }

    @Test
    void shouldRefuseBodiesOverTheBrokersLimit() {
        core.onWelcome(Headers.of(Map.of("max-message-bytes", "4")));

        CompletableFuture<Message> reply = submit("12345", 100, 0);

        assertThat(failure(reply).reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(sent).isEmpty();
        assertThat(inFlight.used()).isEqualTo(0);
    }

    @Test
    void shouldFailPendingAndLaterRequestsWithClosed() {
        CompletableFuture<Message> pending = submit("a", 100, 0);

        core.onClose();
        CompletableFuture<Message> late = submit("b", 100, 0);

        assertThat(failure(pending).reason()).isEqualTo(Reason.CLOSED);
        assertThat(failure(late).reason()).isEqualTo(Reason.CLOSED);
        assertThat(inFlight.used()).isEqualTo(0);
        assertThat(core.onTimers(1_000)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldKeepTheDeadlineHeapNearThePendingCount() {
        for (int i = 0; i < 5_000; i++) {
            submit("x", 60_000, 0);
            core.onMessage(new Reply(lastRequest().correlationId(), Headers.EMPTY, new byte[0]));
        }
        CompletableFuture<Message> live = submit("live", 60_000, 0);

        assertThat(core.onTimers(1)).isEqualTo(60_000);
        assertThat(core.table().size()).isEqualTo(1);
        assertThat(live).isNotDone();
    }
}
