package io.courier.broker.service;

import static io.courier.broker.service.RouterFixture.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.broker.peer.PeerId;
import io.courier.protocol.ErrorCode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Requests that wait: the queue bound, deadlines, and the wait for a service nobody serves yet. */
@Timeout(10)
class RequestRouterWaitingTest {
    private final RouterFixture fx = new RouterFixture();

    @Test
    void shouldAnswerQueueFullWhenQueueIsAtItsBoundAndNoWorkerHasRoom() {
        RouterFixture small = new RouterFixture(Duration.ofSeconds(5), Duration.ofSeconds(1), 2);
        PeerId id = peer("w1");
        FakeWorkerLink worker = small.ready(id, "echo", 1);
        small.request("echo", "in-flight");
        FakeReplyRoute q1 = small.request("echo", "queued-1");
        FakeReplyRoute q2 = small.request("echo", "queued-2");

        FakeReplyRoute refused = small.request("echo", "one-too-many");

        assertThat(refused.onlyErrorCode()).isEqualTo(ErrorCode.QUEUE_FULL);
        assertThat(refused.onlyError().reason()).contains("echo");
        assertThat(q1.isAnswered()).isFalse();
        assertThat(q2.isAnswered()).isFalse();
        small.assertCounters(1, 1, 2, 1);
        assertThat(small.router.status().services().get(0).requests()).isEqualTo(3);

        small.done(id, worker.onlyJob().jobId(), "ok");
        assertThat(worker.texts()).containsExactly("in-flight", "queued-1");
        assertThat(small.request("echo", "room-again").isAnswered()).isFalse();
        small.assertCounters(1, 1, 2, 1);
    }

    @Test
    void shouldBoundRequestsWaitingForUnknownService() {
        RouterFixture small = new RouterFixture(Duration.ofSeconds(5), Duration.ofSeconds(1), 3);
        for (int i = 0; i < 3; i++) {
            assertThat(small.request("later", "r" + i).isAnswered()).isFalse();
        }

        assertThat(small.request("later", "r3").onlyErrorCode()).isEqualTo(ErrorCode.QUEUE_FULL);
        small.assertCounters(1, 0, 3, 0);
    }

    @Test
    void shouldExpireQueuedRequestAtItsDeadline() {
        PeerId id = peer("w1");
        FakeWorkerLink worker = fx.ready(id, "echo", 1);
        fx.request("echo", "busy");
        FakeReplyRoute waiting = fx.request("echo", 1_000, "waits");

        assertThat(fx.runTimers()).isEqualTo(fx.nowMillis() + 1_000);
        assertThat(fx.advanceAndRunTimers(999)).isEqualTo(fx.nowMillis() + 1);
        assertThat(waiting.isAnswered()).isFalse();
        fx.assertCounters(1, 1, 1, 1);

        assertThat(fx.advanceAndRunTimers(1)).isEqualTo(Long.MAX_VALUE);

        assertThat(waiting.onlyErrorCode()).isEqualTo(ErrorCode.EXPIRED);
        assertThat(waiting.onlyError().reason()).contains("echo");
        fx.assertCounters(1, 1, 0, 1);
        assertThat(fx.router.status().services().get(0).queued()).isZero();

        fx.done(id, worker.onlyJob().jobId(), "ok");
        assertThat(worker.jobs).as("the expired request is never sent").hasSize(1);
        fx.assertCounters(1, 1, 0, 0);
    }

    @Test
    void shouldExpireOnlyRequestsWhoseDeadlineHasPassed() {
        fx.ready(peer("w1"), "echo", 1);
        fx.request("echo", "busy");
        FakeReplyRoute soon = fx.request("echo", 100, "soon");
        FakeReplyRoute later = fx.request("echo", 300, "later");
        FakeReplyRoute middle = fx.request("echo", 200, "middle");

        assertThat(fx.advanceAndRunTimers(200)).isEqualTo(fx.nowMillis() + 100);

        assertThat(soon.onlyErrorCode()).isEqualTo(ErrorCode.EXPIRED);
        assertThat(middle.onlyErrorCode()).isEqualTo(ErrorCode.EXPIRED);
        assertThat(later.isAnswered()).isFalse();
        fx.assertCounters(1, 1, 1, 1);
    }

    @Test
    void shouldReportNoTimerWhenNothingWaits() {
        assertThat(fx.runTimers()).isEqualTo(Long.MAX_VALUE);

        fx.ready(peer("w1"), "echo", 1);
        fx.request("echo", "sent-at-once");

        assertThat(fx.runTimers()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldDropServiceOnceItsLastQueuedRequestExpires() {
        FakeReplyRoute route = fx.request("nobody", 500, "r");   // deadline before the unknown-service wait
        fx.assertCounters(1, 0, 1, 0);

        fx.advanceAndRunTimers(500);

        assertThat(route.onlyErrorCode()).isEqualTo(ErrorCode.EXPIRED);
        fx.assertCounters(0, 0, 0, 0);
        assertThat(fx.router.status().services()).isEmpty();
    }

    @Test
    void shouldAnswerUnknownServiceAfterTheWait() {
        FakeReplyRoute route = fx.request("nobody", "r");
        fx.assertCounters(1, 0, 1, 0);

        assertThat(fx.advanceAndRunTimers(999)).isEqualTo(fx.nowMillis() + 1);
        assertThat(route.isAnswered()).isFalse();

        fx.advanceAndRunTimers(1);

        assertThat(route.onlyErrorCode()).isEqualTo(ErrorCode.UNKNOWN_SERVICE);
        assertThat(route.onlyError().reason()).contains("nobody");
        fx.assertCounters(0, 0, 0, 0);
        assertThat(fx.router.status().services()).isEmpty();
    }

    @Test
    void shouldAnswerEveryWaitingRequestUnknownServiceAtItsOwnTime() {
        FakeReplyRoute first = fx.request("nobody", "r1");
        fx.advanceMillis(300);
        FakeReplyRoute second = fx.request("nobody", "r2");

        fx.advanceAndRunTimers(700);
        assertThat(first.onlyErrorCode()).isEqualTo(ErrorCode.UNKNOWN_SERVICE);
        assertThat(second.isAnswered()).isFalse();
        fx.assertCounters(1, 0, 1, 0);

        fx.advanceAndRunTimers(300);
        assertThat(second.onlyErrorCode()).isEqualTo(ErrorCode.UNKNOWN_SERVICE);
        fx.assertCounters(0, 0, 0, 0);
    }

    @Test
    void shouldAnswerUnknownServiceAtOnceWhenTheWaitIsZero() {
        RouterFixture eager = new RouterFixture(Duration.ofSeconds(5), Duration.ZERO, 10);

        FakeReplyRoute route = eager.request("nobody", "r");

        assertThat(route.onlyErrorCode()).isEqualTo(ErrorCode.UNKNOWN_SERVICE);
        eager.assertCounters(0, 0, 0, 0);
        assertThat(eager.router.status().services()).isEmpty();
        assertThat(eager.runTimers()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldServeWhenWorkerRegistersWithinTheWait() {
        FakeReplyRoute route = fx.request("late", "r");
        fx.advanceAndRunTimers(900);

        PeerId id = peer("w1");
        FakeWorkerLink worker = fx.ready(id, "late", 1);
        assertThat(worker.onlyJob().text()).isEqualTo("r");
        fx.advanceAndRunTimers(5_000);   // past the wait and the deadline: both timers are stale now

        assertThat(route.isAnswered()).isFalse();
        fx.done(id, worker.onlyJob().jobId(), "served");
        assertThat(route.onlyReplyText()).isEqualTo("served");
        fx.assertCounters(1, 1, 0, 0);
    }

    @Test
    void shouldKeepWaitingPastTheUnknownServiceWaitOnceTheServiceHasAWorker() {
        PeerId id = peer("w1");
        fx.ready(id, "echo", 1);
        fx.request("echo", "busy");
        FakeReplyRoute waiting = fx.request("echo", 3_000, "waits");

        fx.advanceAndRunTimers(2_000);

        assertThat(waiting.isAnswered()).as("a known service never answers UNKNOWN_SERVICE").isFalse();
        fx.advanceAndRunTimers(1_000);
        assertThat(waiting.onlyErrorCode()).isEqualTo(ErrorCode.EXPIRED);
    }

    @Test
    void shouldExpireRequestOnItsWayToWorkerWhenItsDeadlineHasPassed() {
        PeerId a = peer("a");
        FakeWorkerLink linkA = fx.ready(a, "echo", 1);
        FakeReplyRoute route = fx.request("echo", 1_000, "slow");
        assertThat(linkA.jobs).hasSize(1);
        fx.advanceMillis(2_000);
        fx.router.onWorkerGone(a, "silent");   // back to the queue, already past its deadline

        PeerId b = peer("b");
        FakeWorkerLink linkB = fx.ready(b, "echo", 1);

        assertThat(route.onlyErrorCode()).isEqualTo(ErrorCode.EXPIRED);
        assertThat(linkB.jobs).as("no job is sent with no time left").isEmpty();
        fx.assertCounters(1, 1, 0, 0);
        FakeReplyRoute next = fx.request("echo", "next");
        assertThat(linkB.onlyJob().text()).isEqualTo("next");
        assertThat(next.isAnswered()).isFalse();
    }
}
