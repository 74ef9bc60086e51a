package io.courier.client;

import static io.courier.client.TestSupport.fastConfig;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.client.FakeBroker.Received;
import io.courier.protocol.Command;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage.Disconnect;
import io.courier.protocol.codec.NativeMessage.Done;
import io.courier.protocol.codec.NativeMessage.Fail;
import io.courier.protocol.codec.NativeMessage.Job;
import io.courier.protocol.codec.NativeMessage.Ready;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WorkerTest {
    private FakeBroker broker;
    private Worker worker;

    @BeforeEach
    void start() {
        broker = FakeBroker.start();
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        broker.close();
    }

    private static Message pong(Message request) {
        return Message.of("pong:" + request.bodyAsString())
                .withHeader("x-thread", Thread.currentThread().getName())
                .withHeader(Message.TRACEPARENT, String.valueOf(request.header(Message.TRACEPARENT)));
    }

    private static Job job(long id, String body) {
        return new Job(id, 1_000, Headers.of(Map.of(Message.TRACEPARENT, "00-trace-01")), body.getBytes(UTF_8));
    }

    /** Waits for HELLO then READY from one peer; returns the READY. */
    private Received registration(FakeBroker at) {
        Received hello = at.expect(Command.HELLO);
        Received ready = at.expect(Command.READY);
        assertThat(ready.samePeer(hello)).isTrue();
        return ready;
    }

    @Test
    void shouldRegisterWithHelloThenReady() {
        worker = Worker.start(fastConfig(broker.endpoint()).withName("w1"), WorkerOptions.of("echo").withCapacity(3),
                WorkerTest::pong);

        Ready ready = registration(broker).as(Ready.class);

        assertThat(ready.service()).isEqualTo("echo");
        assertThat(ready.capacity()).isEqualTo(3);
        assertThat(ready.properties().asMap()).containsEntry("name", "w1");
        assertThat(worker.service()).isEqualTo("echo");
        await("connected").atMost(ofSeconds(5)).until(worker::isConnected);
    }

    @Test
    void shouldAnswerJobWithDoneFromAHandlerThread() {
        worker = Worker.start(fastConfig(broker.endpoint()), "echo", WorkerTest::pong);
        Received ready = registration(broker);

        broker.send(ready.identity(), job(7, "ping"));

        Done done = broker.expect(Command.DONE).as(Done.class);
        assertThat(done.jobId()).isEqualTo(7);
        assertThat(new String(done.body(), UTF_8)).isEqualTo("pong:ping");
        assertThat(done.headers().get(Message.TRACEPARENT)).isEqualTo("00-trace-01");
        assertThat(done.headers().get("x-thread")).startsWith("courier-worker-").contains("-handler-");
    }

    @Test
    void shouldAnswerFailWhenTheHandlerThrows() {
        worker = Worker.start(fastConfig(broker.endpoint()), "echo", request -> {
            throw new IllegalStateException("boom");
        });
        Received ready = registration(broker);

        broker.send(ready.identity(), job(8, "ping"));

        Fail fail = broker.expect(Command.FAIL).as(Fail.class);
        assertThat(fail.jobId()).isEqualTo(8);
        assertThat(fail.code()).isEqualTo(ErrorCode.SERVICE_ERROR);
        assertThat(fail.reason()).isEqualTo("boom");
    }

    @Test
    void shouldRegisterAgainAfterDisconnect() {
        worker = Worker.start(fastConfig(broker.endpoint()), "echo", WorkerTest::pong);
        Received ready = registration(broker);

        broker.send(ready.identity(), new Disconnect("unknown worker"));

        Received again = registration(broker);
        assertThat(again.as(Ready.class).service()).isEqualTo("echo");
        broker.send(again.identity(), job(9, "after"));
        assertThat(new String(broker.expect(Command.DONE).as(Done.class).body(), UTF_8)).isEqualTo("pong:after");
    }

    @Test
    void shouldRegisterWithTheNextBrokerWhenTheFirstGoesSilent() {
        try (FakeBroker second = FakeBroker.start()) {
            worker = Worker.start(fastConfig(broker.endpoint(), second.endpoint()), "echo", WorkerTest::pong);
            registration(broker);
            await("connected").atMost(ofSeconds(5)).until(worker::isConnected);

            broker.goSilent();
            long silentAt = System.nanoTime();

            Received ready = registration(second);
            // not before the liveness window (300ms) has passed; the upper bound only proves it happens
            assertThat((ready.atNanos() - silentAt) / 1_000_000).isBetween(150L, 5_000L);
            second.send(ready.identity(), job(10, "there"));
            assertThat(new String(second.expect(Command.DONE).as(Done.class).body(), UTF_8)).isEqualTo("pong:there");
        }
    }

    @Test
    void shouldRunUpToCapacityJobsAtOnce() throws Exception {
        CountDownLatch bothStarted = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        worker = Worker.start(fastConfig(broker.endpoint()), WorkerOptions.of("echo").withCapacity(2), request -> {
            bothStarted.countDown();
            release.await(5, TimeUnit.SECONDS);
            return pong(request);
        });
        Received ready = registration(broker);

        broker.send(ready.identity(), job(1, "a"));
        broker.send(ready.identity(), job(2, "b"));

        assertThat(bothStarted.await(5, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        long first = broker.expect(Command.DONE).as(Done.class).jobId();
        long second = broker.expect(Command.DONE).as(Done.class).jobId();
        assertThat(Set.of(first, second)).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void shouldFinishTheRunningJobThenDisconnectOnCloseAndLeaveNoThreads() throws Exception {
        Set<Thread> before = TestSupport.liveThreads();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        worker = Worker.start(fastConfig(broker.endpoint()), "echo", request -> {
            started.countDown();
            release.await(5, TimeUnit.SECONDS);
            handled.incrementAndGet();
            return pong(request);
        });
        Received ready = registration(broker);
        broker.send(ready.identity(), job(3, "last"));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        // A thread of the test's own, joined below: CompletableFuture.runAsync would start an unnamed one on a
        // 2-core machine (its common pool has parallelism 1) that may outlive the close by a moment.
        Thread closing = new Thread(worker::close, "test-closer");
        closing.start();
        release.countDown();

        Received done = broker.expect(Command.DONE);
        Received bye = broker.expect(Command.DISCONNECT);
        closing.join(5_000);
        assertThat(closing.isAlive()).as("close returned").isFalse();
        assertThat(done.as(Done.class).jobId()).isEqualTo(3);
        assertThat(done.atNanos()).isLessThan(bye.atNanos());
        assertThat(handled).hasValue(1);
        assertThat(worker.isConnected()).isFalse();
        TestSupport.assertNoThreadsLeftSince(before);
    }

    @Test
    void shouldCloseQuicklyWhenNoBrokerAnswers() {
        String nobody = broker.endpoint();
        broker.close();
        Set<Thread> before = TestSupport.liveThreads();
        worker = Worker.start(fastConfig(nobody), "echo", WorkerTest::pong);

        long start = System.nanoTime();
        worker.close();
        worker.close();

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
        TestSupport.assertNoThreadsLeftSince(before);
    }
}
