package io.courier.broker.service;

import static io.courier.broker.service.RouterFixture.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.broker.peer.PeerId;
import io.courier.broker.service.RouterStatus.ServiceView;
import io.courier.broker.service.RouterStatus.WorkerView;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The management interface (RFC 8), the status views, and closing the router. */
@Timeout(10)
class RequestRouterLifecycleTest {
    private final RouterFixture fx = new RouterFixture();

    @Test
    void shouldAnswerMmiServiceWith200ForAServiceWithWorkers() {
        fx.ready(peer("w1"), "echo", 1);

        FakeReplyRoute route = fx.request("mmi.service", "echo");

        assertThat(route.onlyReplyText()).isEqualTo("200");
        assertThat(route.replies.get(0).headers()).isEqualTo(Headers.EMPTY);
    }

    @Test
    void shouldAnswerMmiServiceWith404ForAServiceWithoutWorkers() {
        fx.request("pending", "r");   // the service exists, waiting for a worker

        assertThat(fx.request("mmi.service", "nobody").onlyReplyText()).isEqualTo("404");
        assertThat(fx.request("mmi.service", "pending").onlyReplyText()).isEqualTo("404");
    }

    @Test
    void shouldAnswerMmiServiceWith404AfterTheLastWorkerIsGone() {
        PeerId id = peer("w1");
        fx.ready(id, "echo", 1);
        fx.router.onWorkerGone(id, "gone");

        assertThat(fx.request("mmi.service", "echo").onlyReplyText()).isEqualTo("404");
    }

    @Test
    void shouldReadTheServiceNameFromTheLastBodyFrame() {
        fx.ready(peer("w1"), "echo", 1);
        FakeReplyRoute route = new FakeReplyRoute();
        byte[][] body = {"ignored".getBytes(StandardCharsets.UTF_8), "echo".getBytes(StandardCharsets.UTF_8)};

        fx.router.onRequest("mmi.service", 0, Headers.EMPTY, body, route);

        assertThat(route.onlyReplyText()).isEqualTo("200");
    }

    @Test
    void shouldAnswerMmiServiceWithoutBodyWith404() {
        FakeReplyRoute route = new FakeReplyRoute();

        fx.router.onRequest("mmi.service", 0, Headers.EMPTY, new byte[0][], route);

        assertThat(route.onlyReplyText()).isEqualTo("404");
    }

    @Test
    void shouldAnswerOtherMmiRequestsWith501() {
        fx.ready(peer("w1"), "echo", 1);

        assertThat(fx.request("mmi.echo", "echo").onlyReplyText()).isEqualTo("501");
        assertThat(fx.request("mmi.", "echo").onlyReplyText()).isEqualTo("501");
        assertThat(fx.request("mmi.services", "echo").onlyReplyText()).isEqualTo("501");
    }

    @Test
    void shouldNeitherQueueNorCreateServicesForMmi() {
        fx.request("mmi.service", "echo");
        fx.request("mmi.unknown", "x");

        fx.assertCounters(0, 0, 0, 0);
        assertThat(fx.router.status().services()).isEmpty();
        assertThat(fx.runTimers()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldAnswerQueuedAndInFlightRequestsUnavailableOnClose() {
        PeerId a = peer("a");
        PeerId b = peer("b");
        FakeWorkerLink linkA = fx.ready(a, "echo", 1);
        FakeWorkerLink linkB = fx.ready(b, "time", 2);
        FakeReplyRoute inFlightA = fx.request("echo", "a1");
        FakeReplyRoute queuedA = fx.request("echo", "a2");
        FakeReplyRoute inFlightB = fx.request("time", "b1");
        FakeReplyRoute waitingUnknown = fx.request("nobody", "n1");
        fx.assertCounters(3, 2, 2, 2);

        fx.router.close();

        for (FakeReplyRoute route : new FakeReplyRoute[] {inFlightA, queuedA, inFlightB, waitingUnknown}) {
            assertThat(route.onlyErrorCode()).isEqualTo(ErrorCode.UNAVAILABLE);
        }
        assertThat(linkA.disconnects).hasSize(1);
        assertThat(linkB.disconnects).hasSize(1);
        fx.assertCounters(0, 0, 0, 0);
        assertThat(fx.router.status().services()).isEmpty();
        assertThat(fx.router.status().workers()).isEmpty();
        assertThat(fx.router.isWorker(a)).isFalse();
    }

    @Test
    void shouldAnswerLaterRequestsUnavailableAfterClose() {
        fx.ready(peer("w1"), "echo", 1);
        fx.router.close();

        assertThat(fx.request("echo", "late").onlyErrorCode()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(fx.request("nobody", "late").onlyErrorCode()).isEqualTo(ErrorCode.UNAVAILABLE);
        fx.assertCounters(0, 0, 0, 0);
    }

    @Test
    void shouldRefuseWorkersAndIgnoreTheirMessagesAfterClose() {
        PeerId id = peer("w1");
        FakeWorkerLink link = fx.ready(id, "echo", 1);
        fx.request("echo", "r");
        fx.router.close();

        assertThat(fx.router.onReady(peer("w2"), new FakeWorkerLink(), "echo", 1, "late")).isFalse();
        assertThat(fx.router.onDone(id, link.onlyJob().jobId(), Headers.EMPTY, RouterFixture.body("x"))).isFalse();
        fx.router.onWorkerGone(id, "gone");
        assertThat(fx.runTimers()).isEqualTo(Long.MAX_VALUE);
        fx.assertCounters(0, 0, 0, 0);
    }

    @Test
    void shouldAnswerNothingTwiceWhenClosedTwice() {
        fx.ready(peer("w1"), "echo", 1);
        FakeReplyRoute route = fx.request("echo", "r");

        fx.router.close();
        fx.router.close();

        assertThat(route.onlyErrorCode()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void shouldNotAnswerExpiredRequestsAgainOnClose() {
        fx.ready(peer("w1"), "echo", 1);
        fx.request("echo", "busy");
        FakeReplyRoute expired = fx.request("echo", 100, "expires");
        fx.advanceAndRunTimers(100);

        fx.router.close();

        assertThat(expired.onlyErrorCode()).isEqualTo(ErrorCode.EXPIRED);
    }

    @Test
    void shouldFinishQueuedAndInFlightRequestsWhileDraining() {
        PeerId id = peer("w1");
        FakeWorkerLink worker = fx.ready(id, "echo", 1);
        FakeReplyRoute inFlight = fx.request("echo", "r1");
        FakeReplyRoute queued = fx.request("echo", "r2");

        fx.router.startDrain();

        assertThat(fx.request("echo", "late").onlyErrorCode()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(fx.router.isIdle()).isFalse();
        fx.done(id, worker.onlyJob().jobId(), "re:r1");
        assertThat(fx.router.isIdle()).isFalse();
        fx.done(id, worker.lastJob().jobId(), "re:r2");

        assertThat(inFlight.onlyReplyText()).isEqualTo("re:r1");
        assertThat(queued.onlyReplyText()).isEqualTo("re:r2");
        assertThat(fx.router.isIdle()).isTrue();
        fx.assertCounters(1, 1, 0, 0);
    }

    @Test
    void shouldApplyNewSettingsToLaterRequests() {
        FakeReplyRoute before = fx.request("nobody", "r1");

        fx.router.onSettings(new RouterSettings(Duration.ofSeconds(2), Duration.ZERO, 10));

        assertThat(fx.request("other", "r2").onlyErrorCode()).isEqualTo(ErrorCode.UNKNOWN_SERVICE);
        FakeWorkerLink worker = fx.ready(peer("w1"), "echo", 1);
        fx.request("echo", "r3");
        assertThat(worker.onlyJob().timeoutMillis()).isEqualTo(2_000);
        assertThat(before.isAnswered()).as("a request already waiting keeps its own wait").isFalse();
    }

    @Test
    void shouldDescribeServicesAndWorkersInStatus() {
        PeerId a = peer("a");
        PeerId b = peer("b");
        FakeWorkerLink linkA = fx.ready(a, "echo", 2);
        fx.ready(b, "echo", 1);
        FakeWorkerLink linkT = fx.ready(peer("t"), "time", 4);
        for (int i = 0; i < 5; i++) {
            fx.request("echo", "e" + i);
        }
        fx.request("time", "t0");
        fx.request("waiting", "w0");
        fx.done(a, linkA.jobs.get(0).jobId(), "ok");   // a takes the next queued one: still 2 busy
        fx.router.onDone(peer("t"), linkT.onlyJob().jobId(), Headers.EMPTY, RouterFixture.body("ok"));

        RouterStatus status = fx.router.status();

        assertThat(status.services()).containsExactly(
                new ServiceView("echo", 2, 3, 3, 1, 5),
                new ServiceView("time", 1, 4, 0, 0, 1),
                new ServiceView("waiting", 0, 0, 0, 1, 1));
        assertThat(status.workers()).containsExactlyInAnyOrder(
                new WorkerView("echo", "courier", "worker-" + a, 2, 2, 1),
                new WorkerView("echo", "courier", "worker-" + b, 1, 1, 0),
                new WorkerView("time", "courier", "worker-" + peer("t"), 4, 0, 1));
        fx.assertCounters(3, 3, 2, 3);
    }

    @Test
    void shouldShowNoServiceWhenNothingIsRegistered() {
        RouterStatus status = fx.router.status();

        assertThat(status.services()).isEmpty();
        assertThat(status.workers()).isEmpty();
    }

    @Test
    void shouldCountEveryRequestReceived() {
        fx.ready(peer("w1"), "echo", 1);
        fx.request("echo", "r1");
        fx.request("mmi.service", "echo");
        fx.request("nobody", "r2");

        assertThat(fx.counters.snapshot().requests()).isEqualTo(3);
    }
}
