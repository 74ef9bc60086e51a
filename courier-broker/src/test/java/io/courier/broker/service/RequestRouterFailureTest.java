package io.courier.broker.service;

import static io.courier.broker.service.RouterFixture.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.broker.peer.PeerId;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Workers that go away, fail sends or fail jobs, and peers that break the worker protocol. */
@Timeout(10)
class RequestRouterFailureTest {
    private final RouterFixture fx = new RouterFixture();

    @Test
    void shouldSendJobsOfGoneWorkerToAnotherWorker() {
        PeerId a = peer("a");
        PeerId b = peer("b");
        FakeWorkerLink linkA = fx.ready(a, "echo", 1);
        FakeWorkerLink linkB = fx.ready(b, "echo", 2);
        FakeReplyRoute r1 = fx.request("echo", "r1");
        fx.request("echo", "r2");
        assertThat(linkA.texts()).containsExactly("r1");
        assertThat(linkB.texts()).containsExactly("r2");
        long jobId = linkA.onlyJob().jobId();

        fx.router.onWorkerGone(a, "heartbeat expired");

        assertThat(fx.router.isWorker(a)).isFalse();
        assertThat(linkB.texts()).containsExactly("r2", "r1");
        assertThat(linkB.lastJob().jobId()).as("the same job, delivered again").isEqualTo(jobId);
        assertThat(RouterInternals.deliveries(fx.router, b, jobId)).isEqualTo(2);
        assertThat(r1.isAnswered()).isFalse();
        fx.assertCounters(1, 1, 0, 2);

        fx.done(b, jobId, "re:r1");
        assertThat(r1.onlyReplyText()).isEqualTo("re:r1");
        assertThat(fx.router.onDone(a, jobId, Headers.EMPTY, RouterFixture.body("late"))).isFalse();
    }

    @Test
    void shouldPutJobsOfGoneWorkerAtTheFrontOfTheQueueOldestFirst() {
        PeerId a = peer("a");
        FakeWorkerLink linkA = fx.ready(a, "echo", 2);
        fx.request("echo", "r1");
        fx.request("echo", "r2");
        fx.request("echo", "r3");
        assertThat(linkA.texts()).containsExactly("r1", "r2");
        fx.assertCounters(1, 1, 1, 2);

        fx.router.onWorkerGone(a, "disconnect");

        fx.assertCounters(1, 0, 3, 0);
        assertThat(fx.router.status().services().get(0).queued()).isEqualTo(3);

        PeerId b = peer("b");
        FakeWorkerLink linkB = fx.ready(b, "echo", 1);
        assertThat(linkB.texts()).containsExactly("r1");
        fx.done(b, linkB.lastJob().jobId(), "ok");
        fx.done(b, linkB.lastJob().jobId(), "ok");
        fx.done(b, linkB.lastJob().jobId(), "ok");

        assertThat(linkB.texts()).containsExactly("r1", "r2", "r3");
        fx.assertCounters(1, 1, 0, 0);
    }

    @Test
    void shouldKeepRequeuedJobsBeforeNewRequests() {
        PeerId a = peer("a");
        fx.ready(a, "echo", 1);
        fx.request("echo", "old");
        fx.router.onWorkerGone(a, "gone");
        fx.request("echo", "new");

        FakeWorkerLink linkB = fx.ready(peer("b"), "echo", 1);

        assertThat(linkB.texts()).containsExactly("old");
    }

    @Test
    void shouldKeepRequeuedJobWaitingForANewWorkerUntilItsDeadline() {
        PeerId a = peer("a");
        fx.ready(a, "echo", 1);
        FakeReplyRoute route = fx.request("echo", 4_000, "r");
        fx.router.onWorkerGone(a, "gone");

        fx.advanceAndRunTimers(3_000);
        assertThat(route.isAnswered()).isFalse();
        FakeWorkerLink linkB = fx.ready(peer("b"), "echo", 1);
        assertThat(linkB.onlyJob().timeoutMillis()).isEqualTo(1_000);

        fx.advanceAndRunTimers(5_000);
        assertThat(route.isAnswered()).as("in flight: the worker has the deadline now").isFalse();
    }

    /**
     * A request for a service with no worker yet arms an unknown-service check. A worker registers within the
     * wait and takes the job, then dies before the wait is over. Its job goes back to the queue "for another
     * worker" (docs/architecture.md, reliability model) and should wait for one until its deadline, like the job
     * of any worker that is gone. The check armed at arrival must not fire on it: a worker did register within the
     * wait, and UNKNOWN_SERVICE is final for the client (docs/client.md: not retried).
     */
    @Test
    void shouldNotAnswerUnknownServiceForJobOfWorkerThatRegisteredWithinTheWait() {
        FakeReplyRoute route = fx.request("late", 5_000, "r");   // unknown-service check due in 1 s
        fx.advanceMillis(100);
        PeerId a = peer("a");
        FakeWorkerLink linkA = fx.ready(a, "late", 1);
        assertThat(linkA.onlyJob().text()).isEqualTo("r");
        fx.advanceMillis(100);
        fx.router.onWorkerGone(a, "heartbeat expired");   // job requeued, 4.8 s left

        fx.advanceAndRunTimers(1_000);   // past the unknown-service check armed at arrival

        assertThat(route.errors).as("errors answered 1.2 s into a 5 s deadline").isEmpty();
        FakeWorkerLink linkB = fx.ready(peer("b"), "late", 1);
        assertThat(linkB.texts()).as("the replacement worker gets the job").containsExactly("r");
    }

    @Test
    void shouldIgnoreGoneForAPeerThatIsNoWorker() {
        fx.ready(peer("a"), "echo", 1);
        fx.request("echo", "r");

        fx.router.onWorkerGone(peer("stranger"), "unroutable");

        fx.assertCounters(1, 1, 0, 1);
    }

    @Test
    void shouldMoveJobToAnotherWorkerWhenSendFails() {
        PeerId a = peer("a");
        PeerId b = peer("b");
        FakeWorkerLink linkA = fx.ready(a, "echo", 1);
        FakeWorkerLink linkB = fx.ready(b, "echo", 1);
        linkA.failSends = true;

        FakeReplyRoute route = fx.request("echo", "r");   // a is least recently used, so it is tried first

        assertThat(linkA.failedSends).isEqualTo(1);
        assertThat(fx.router.isWorker(a)).as("a worker that cannot be sent to is dropped").isFalse();
        long jobId = linkB.onlyJob().jobId();
        assertThat(RouterInternals.deliveries(fx.router, b, jobId)).isEqualTo(2);
        fx.assertCounters(1, 1, 0, 1);

        fx.done(b, jobId, "ok");
        assertThat(route.onlyReplyText()).isEqualTo("ok");
        fx.assertCounters(1, 1, 0, 0);
    }

    @Test
    void shouldQueueJobWhenTheOnlyWorkerCannotBeSentTo() {
        PeerId a = peer("a");
        FakeWorkerLink linkA = fx.ready(a, "echo", 1);
        linkA.failSends = true;

        FakeReplyRoute route = fx.request("echo", "r");

        assertThat(route.isAnswered()).isFalse();
        fx.assertCounters(1, 0, 1, 0);

        PeerId b = peer("b");
        FakeWorkerLink linkB = fx.ready(b, "echo", 1);
        assertThat(linkB.onlyJob().text()).isEqualTo("r");
        fx.assertCounters(1, 1, 0, 1);
        fx.done(b, linkB.onlyJob().jobId(), "ok");
        assertThat(route.onlyReplyText()).isEqualTo("ok");
    }

    @Test
    void shouldRequeueEveryJobOfAWorkerWhoseSendFails() {
        PeerId a = peer("a");
        PeerId b = peer("b");
        FakeWorkerLink linkA = fx.ready(a, "echo", 3);
        fx.request("echo", "r1");
        fx.request("echo", "r2");
        FakeWorkerLink linkB = fx.ready(b, "echo", 5);
        linkA.failSends = true;

        fx.request("echo", "r3");   // a is least recently used: its send fails and it takes r1, r2 down with it
        fx.request("echo", "r4");

        assertThat(fx.router.isWorker(a)).isFalse();
        assertThat(linkB.texts()).containsExactly("r1", "r2", "r3", "r4");
        fx.assertCounters(1, 1, 0, 4);
    }

    @Test
    void shouldAnswerServiceErrorWhenWorkerFailsTheJob() {
        PeerId id = peer("w1");
        FakeWorkerLink worker = fx.ready(id, "echo", 1);
        FakeReplyRoute failed = fx.request("echo", "bad");
        FakeReplyRoute next = fx.request("echo", "good");

        fx.fail(id, worker.onlyJob().jobId(), "handler threw IllegalStateException: boom");

        assertThat(failed.onlyErrorCode()).isEqualTo(ErrorCode.SERVICE_ERROR);
        assertThat(failed.onlyError().reason()).isEqualTo("handler threw IllegalStateException: boom");
        assertThat(worker.texts()).as("the freed slot takes the next job").containsExactly("bad", "good");
        assertThat(next.isAnswered()).isFalse();
        fx.assertCounters(1, 1, 0, 1);
        assertThat(fx.router.status().workers().get(0).completed()).isEqualTo(1);
    }

    @Test
    void shouldIgnoreFailForJobTheWorkerDoesNotHold() {
        PeerId id = peer("w1");
        fx.ready(id, "echo", 1);
        FakeReplyRoute route = fx.request("echo", "r");

        assertThat(fx.router.onFail(id, 999_999, ErrorCode.SERVICE_ERROR, "stray")).isTrue();

        assertThat(route.isAnswered()).isFalse();
        fx.assertCounters(1, 1, 0, 1);
    }

    @Test
    void shouldRefuseDoneFailAndPartialFromAPeerThatIsNoWorker() {
        PeerId id = peer("w1");
        FakeWorkerLink worker = fx.ready(id, "echo", 1);
        FakeReplyRoute route = fx.request("echo", "r");
        long jobId = worker.onlyJob().jobId();
        PeerId stranger = peer("stranger");

        assertThat(fx.router.onDone(stranger, jobId, Headers.EMPTY, RouterFixture.body("forged"))).isFalse();
        assertThat(fx.router.onFail(stranger, jobId, ErrorCode.SERVICE_ERROR, "forged")).isFalse();
        assertThat(fx.router.onPartial(stranger, jobId, RouterFixture.body("forged"))).isFalse();

        assertThat(route.isAnswered()).isFalse();
        assertThat(route.partials).isEmpty();
        fx.assertCounters(1, 1, 0, 1);
    }

    @Test
    void shouldIgnoreDoneForJobTheWorkerDoesNotHold() {
        PeerId a = peer("a");
        PeerId b = peer("b");
        FakeWorkerLink linkA = fx.ready(a, "echo", 1);
        fx.ready(b, "echo", 1);
        FakeReplyRoute route = fx.request("echo", "r");

        assertThat(fx.router.onDone(b, linkA.onlyJob().jobId(), Headers.EMPTY, RouterFixture.body("x"))).isTrue();
        assertThat(fx.router.onDone(a, 424_242, Headers.EMPTY, RouterFixture.body("x"))).isTrue();

        assertThat(route.isAnswered()).as("only the worker holding a job may answer it").isFalse();
        fx.assertCounters(1, 2, 0, 1);
    }

    @Test
    void shouldIgnoreASecondDoneForTheSameJob() {
        PeerId id = peer("w1");
        FakeWorkerLink worker = fx.ready(id, "echo", 1);
        FakeReplyRoute route = fx.request("echo", "r");
        long jobId = worker.onlyJob().jobId();

        fx.done(id, jobId, "first");
        fx.done(id, jobId, "second");

        assertThat(route.onlyReplyText()).isEqualTo("first");
        fx.assertCounters(1, 1, 0, 0);
    }

    @Test
    void shouldRefuseASecondReadyFromTheSamePeer() {
        PeerId id = peer("w1");
        fx.ready(id, "echo", 2);

        assertThat(fx.router.onReady(id, new FakeWorkerLink(), "echo", 5, "again")).isFalse();
        assertThat(fx.router.onReady(id, new FakeWorkerLink(), "other", 1, "elsewhere")).isFalse();

        fx.assertCounters(1, 1, 0, 0);
        assertThat(fx.router.status().workers()).singleElement().satisfies(w -> {
            assertThat(w.capacity()).isEqualTo(2);
            assertThat(w.service()).isEqualTo("echo");
        });
    }

    @Test
    void shouldTreatEqualRoutingIdsAsTheSamePeer() {
        fx.ready(new PeerId(new byte[] {0, 1, 2}), "echo", 1);

        assertThat(fx.router.isWorker(new PeerId(new byte[] {0, 1, 2}))).isTrue();
        assertThat(fx.router.onReady(new PeerId(new byte[] {0, 1, 2}), new FakeWorkerLink(), "echo", 1, "x"))
                .isFalse();
    }

    @Test
    void shouldRefuseWorkerForReservedMmiName() {
        assertThat(fx.router.onReady(peer("w1"), new FakeWorkerLink(), "mmi.service", 1, "impostor")).isFalse();

        fx.assertCounters(0, 0, 0, 0);
    }

    @Test
    void shouldAcceptPeerAgainAfterItIsGone() {
        PeerId id = peer("w1");
        fx.ready(id, "echo", 1);
        fx.router.onWorkerGone(id, "gone");

        FakeWorkerLink again = fx.ready(id, "echo", 1);
        fx.request("echo", "r");

        assertThat(again.onlyJob().text()).isEqualTo("r");
        fx.assertCounters(1, 1, 0, 1);
    }
}
