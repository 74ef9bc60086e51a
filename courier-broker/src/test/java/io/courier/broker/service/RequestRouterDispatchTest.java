package io.courier.broker.service;

import static io.courier.broker.service.RouterFixture.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.broker.peer.PeerId;
import io.courier.broker.service.FakeWorkerLink.SentJob;
import io.courier.protocol.Headers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dispatch: deadlines passed on, replies routed back, least-recently-used order, capacity, partial replies. */
@Timeout(10)
class RequestRouterDispatchTest {
    private final RouterFixture fx = new RouterFixture();

    @Test
    void shouldSendRequestToReadyWorkerWithItsTimeout() {
        FakeWorkerLink worker = fx.ready(peer("w1"), "echo", 1);

        fx.request("echo", 2_500, "hello");

        SentJob job = worker.onlyJob();
        assertThat(job.timeoutMillis()).isEqualTo(2_500);
        assertThat(job.text()).isEqualTo("hello");
        assertThat(job.headers()).isEqualTo(RouterFixture.HEADERS);
        fx.assertCounters(1, 1, 0, 1);
    }

    @Test
    void shouldUseDefaultTimeoutWhenRequestGivesNone() {
        FakeWorkerLink worker = fx.ready(peer("w1"), "echo", 1);

        fx.request("echo", 0, "hello");

        assertThat(worker.onlyJob().timeoutMillis()).isEqualTo((int) RouterFixture.DEFAULT_TIMEOUT.toMillis());
    }

    @Test
    void shouldSendQueuedRequestWithTheTimeLeft() {
        PeerId id = peer("w1");
        FakeWorkerLink worker = fx.ready(id, "echo", 1);
        fx.request("echo", 10_000, "first");
        fx.request("echo", 3_000, "second");
        assertThat(worker.jobs).hasSize(1);

        fx.advanceMillis(1_200);
        fx.done(id, worker.onlyJob().jobId(), "first-reply");

        assertThat(worker.jobs).hasSize(2);
        assertThat(worker.lastJob().text()).isEqualTo("second");
        assertThat(worker.lastJob().timeoutMillis()).isEqualTo(1_800);
    }

    @Test
    void shouldSendRequestWaitingForUnknownServiceWithTheTimeLeft() {
        fx.request("echo", 3_000, "early");
        fx.advanceMillis(400);

        FakeWorkerLink worker = fx.ready(peer("w1"), "echo", 1);

        assertThat(worker.onlyJob().timeoutMillis()).isEqualTo(2_600);
    }

    @Test
    void shouldRouteEachReplyToItsOwnRequest() {
        PeerId a = peer("a");
        PeerId b = peer("b");
        FakeWorkerLink linkA = fx.ready(a, "echo", 2);
        FakeWorkerLink linkB = fx.ready(b, "echo", 2);
        FakeReplyRoute r1 = fx.request("echo", "one");
        FakeReplyRoute r2 = fx.request("echo", "two");
        FakeReplyRoute r3 = fx.request("echo", "three");
        Headers replyHeaders = Headers.of(Map.of("content-type", "text/plain"));

        // answer in an order unlike the order of arrival
        SentJob three = linkA.jobs.get(1);
        assertThat(three.text()).isEqualTo("three");
        assertThat(fx.router.onDone(a, three.jobId(), replyHeaders, RouterFixture.body("re:three"))).isTrue();
        fx.done(b, linkB.onlyJob().jobId(), "re:" + linkB.onlyJob().text());
        fx.done(a, linkA.jobs.get(0).jobId(), "re:" + linkA.jobs.get(0).text());

        assertThat(r1.onlyReplyText()).isEqualTo("re:one");
        assertThat(r2.onlyReplyText()).isEqualTo("re:two");
        assertThat(r3.onlyReplyText()).isEqualTo("re:three");
        assertThat(r3.replies.get(0).headers()).isEqualTo(replyHeaders);
        fx.assertCounters(1, 2, 0, 0);
    }

    @Test
    void shouldPassEveryReplyFrameThrough() {
        PeerId id = peer("w1");
        FakeWorkerLink worker = fx.ready(id, "echo", 1);
        FakeReplyRoute route = fx.request("echo", "x");
        byte[][] frames = {{1}, {}, {2, 3}};

        fx.router.onDone(id, worker.onlyJob().jobId(), Headers.EMPTY, frames);

        assertThat(route.replies.get(0).body()).isDeepEqualTo(new byte[][] {{1}, {}, {2, 3}});
    }

    @Test
    void shouldDispatchToLeastRecentlyUsedWorker() {
        PeerId a = peer("a");
        PeerId b = peer("b");
        PeerId c = peer("c");
        FakeWorkerLink linkA = fx.ready(a, "echo", 1);
        FakeWorkerLink linkB = fx.ready(b, "echo", 1);
        FakeWorkerLink linkC = fx.ready(c, "echo", 1);

        fx.request("echo", "r1");
        fx.request("echo", "r2");
        fx.request("echo", "r3");
        assertThat(List.of(linkA.texts(), linkB.texts(), linkC.texts()))
                .containsExactly(List.of("r1"), List.of("r2"), List.of("r3"));

        // free in the order C, A, B: that is the order they are used next
        fx.done(c, linkC.lastJob().jobId(), "ok");
        fx.done(a, linkA.lastJob().jobId(), "ok");
        fx.done(b, linkB.lastJob().jobId(), "ok");
        fx.request("echo", "r4");
        fx.request("echo", "r5");
        fx.request("echo", "r6");

        assertThat(linkC.texts()).containsExactly("r3", "r4");
        assertThat(linkA.texts()).containsExactly("r1", "r5");
        assertThat(linkB.texts()).containsExactly("r2", "r6");
    }

    @Test
    void shouldRotateWorkersWithRoomToSpare() {
        FakeWorkerLink linkA = fx.ready(peer("a"), "echo", 10);
        FakeWorkerLink linkB = fx.ready(peer("b"), "echo", 10);

        for (int i = 1; i <= 6; i++) {
            fx.request("echo", "r" + i);
        }

        assertThat(linkA.texts()).containsExactly("r1", "r3", "r5");
        assertThat(linkB.texts()).containsExactly("r2", "r4", "r6");
    }

    @Test
    void shouldHonourWorkerCapacity() {
        PeerId id = peer("w1");
        FakeWorkerLink worker = fx.ready(id, "echo", 3);

        FakeReplyRoute r1 = fx.request("echo", "r1");
        fx.request("echo", "r2");
        fx.request("echo", "r3");
        FakeReplyRoute r4 = fx.request("echo", "r4");

        assertThat(worker.texts()).containsExactly("r1", "r2", "r3");
        assertThat(r4.isAnswered()).isFalse();
        fx.assertCounters(1, 1, 1, 3);
        assertThat(fx.router.status().services().get(0).busy()).isEqualTo(3);
        assertThat(fx.router.status().services().get(0).queued()).isEqualTo(1);

        fx.done(id, worker.jobs.get(0).jobId(), "re:r1");

        assertThat(r1.onlyReplyText()).isEqualTo("re:r1");
        assertThat(worker.texts()).containsExactly("r1", "r2", "r3", "r4");
        fx.assertCounters(1, 1, 0, 3);
    }

    @Test
    void shouldNeverExceedCapacityUnderLoad() {
        PeerId a = peer("a");
        PeerId b = peer("b");
        FakeWorkerLink linkA = fx.ready(a, "echo", 3);
        FakeWorkerLink linkB = fx.ready(b, "echo", 2);
        for (int i = 0; i < 40; i++) {
            fx.request("echo", "r" + i);
        }
        int doneA = 0;
        int doneB = 0;

        for (int round = 0; round < 40; round++) {
            assertThat(linkA.jobs.size() - doneA).as("in flight on a").isLessThanOrEqualTo(3);
            assertThat(linkB.jobs.size() - doneB).as("in flight on b").isLessThanOrEqualTo(2);
            assertThat(fx.counters.inFlightRequests() + fx.counters.queuedRequests())
                    .isEqualTo(40 - round);
            if (round % 2 == 0 && doneA < linkA.jobs.size() || doneB >= linkB.jobs.size()) {
                fx.done(a, linkA.jobs.get(doneA++).jobId(), "ok");
            } else {
                fx.done(b, linkB.jobs.get(doneB++).jobId(), "ok");
            }
        }

        assertThat(linkA.jobs.size() + linkB.jobs.size()).isEqualTo(40);
        fx.assertCounters(1, 2, 0, 0);
    }

    @Test
    void shouldPassPartialRepliesAndKeepTheJobWithItsWorker() {
        PeerId id = peer("w1");
        FakeWorkerLink worker = fx.ready(id, "echo", 1);
        FakeReplyRoute route = fx.request("echo", "stream");
        long jobId = worker.onlyJob().jobId();

        assertThat(fx.router.onPartial(id, jobId, RouterFixture.body("part-1"))).isTrue();
        assertThat(fx.router.onPartial(id, jobId, RouterFixture.body("part-2"))).isTrue();

        assertThat(route.partials).extracting(RouterFixture::text).containsExactly("part-1", "part-2");
        assertThat(route.isAnswered()).isFalse();
        fx.assertCounters(1, 1, 0, 1);

        fx.done(id, jobId, "last");
        assertThat(route.onlyReplyText()).isEqualTo("last");
        fx.assertCounters(1, 1, 0, 0);
    }

    @Test
    void shouldIgnorePartialForJobTheWorkerDoesNotHold() {
        PeerId id = peer("w1");
        fx.ready(id, "echo", 1);

        assertThat(fx.router.onPartial(id, 12_345, RouterFixture.body("stray"))).isTrue();
        assertThat(fx.router.onPartial(peer("stranger"), 1, RouterFixture.body("stray"))).isFalse();
    }

    @Test
    void shouldKeepServicesApart() {
        FakeWorkerLink echo = fx.ready(peer("e"), "echo", 5);
        FakeWorkerLink time = fx.ready(peer("t"), "time", 5);

        fx.request("echo", "e1");
        fx.request("time", "t1");
        fx.request("echo", "e2");

        assertThat(echo.texts()).containsExactly("e1", "e2");
        assertThat(time.texts()).containsExactly("t1");
        fx.assertCounters(2, 2, 0, 3);
    }

    @Test
    void shouldGiveEveryJobItsOwnId() {
        FakeWorkerLink worker = fx.ready(peer("w1"), "echo", 50);

        for (int i = 0; i < 50; i++) {
            fx.request("echo", "r" + i);
        }

        assertThat(worker.jobs).extracting(SentJob::jobId).doesNotHaveDuplicates().hasSize(50);
    }

    @Test
    void shouldReturnCountersToZeroWhenEverythingIsDone() {
        PeerId a = peer("a");
        PeerId b = peer("b");
        FakeWorkerLink linkA = fx.ready(a, "echo", 2);
        FakeWorkerLink linkB = fx.ready(b, "time", 1);
        for (int i = 0; i < 5; i++) {
            fx.request("echo", "e" + i);
            fx.request("time", "t" + i);
        }
        fx.assertCounters(2, 2, 7, 3);

        int doneA = 0;
        int doneB = 0;
        while (doneA < linkA.jobs.size() || doneB < linkB.jobs.size()) {   // each reply frees a slot for the next
            if (doneA < linkA.jobs.size()) {
                fx.done(a, linkA.jobs.get(doneA++).jobId(), "ok");
            }
            if (doneB < linkB.jobs.size()) {
                fx.done(b, linkB.jobs.get(doneB++).jobId(), "ok");
            }
        }
        assertThat(doneA + doneB).isEqualTo(10);
        fx.assertCounters(2, 2, 0, 0);

        fx.router.onWorkerGone(a, "test");
        fx.router.onWorkerGone(b, "test");

        fx.assertCounters(0, 0, 0, 0);
        assertThat(fx.router.status().services()).isEmpty();
        assertThat(fx.counters.snapshot().requests()).isEqualTo(10);
    }
}
