package io.courier.core.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/** The shared loop skeleton: the shutdown always runs, failures of a step never end the loop. */
@Timeout(10)
class LoopRunnerTest {
    private final List<String> steps = new CopyOnWriteArrayList<>();

    @Test
    void shouldRunTheShutdownAfterTheBodyOnItsOwnThreadAndThenCompleteTerminated() throws Exception {
        LoopRunner runner = new LoopRunner("test loop", LoggerFactory.getLogger(LoopRunnerTest.class));
        CountDownLatch release = new CountDownLatch(1);
        runner.start("test-loop", true, () -> runner.run(() -> {
            steps.add("body owner=" + runner.isOwner());
            await(release);
        }, () -> steps.add("shutdown terminated=" + runner.terminated().isDone())));

        assertThat(runner.isOwner()).isFalse();
        assertThat(runner.awaitEnd(50)).isFalse();
        release.countDown();
        assertThat(runner.awaitEnd(5_000)).isTrue();
        assertThat(steps).containsExactly("body owner=true", "shutdown terminated=false");
    }

    @Test
    void shouldEndCleanlyWhenTheBodyFailsOrTheContextEnds() {
        for (RuntimeException failure : List.of(new IllegalStateException("boom"),
                new ZMQException("context ended", ZMQ.Error.ETERM.getCode()),
                new ZMQException("no route", ZMQ.Error.EHOSTUNREACH.getCode()))) {
            LoopRunner runner = new LoopRunner("test loop", LoggerFactory.getLogger(LoopRunnerTest.class));
            steps.clear();
            runner.run(() -> {
                throw failure;
            }, () -> steps.add("shutdown"));
            assertThat(steps).as(failure.toString()).containsExactly("shutdown");
            assertThat(runner.terminated()).isCompleted();
        }
        assertThat(LoopRunner.isContextEnd(new ZMQException("x", ZMQ.Error.ETERM.getCode()))).isTrue();
        assertThat(LoopRunner.isContextEnd(new ZMQException("x", ZMQ.Error.EAGAIN.getCode()))).isFalse();
    }

    @Test
    void shouldCompleteTerminatedEvenWhenTheShutdownFails() {
        LoopRunner runner = new LoopRunner("test loop", LoggerFactory.getLogger(LoopRunnerTest.class));
        runner.run(() -> steps.add("body"), () -> {
            throw new IllegalStateException("close failed");
        });
        assertThat(runner.terminated()).isCompleted();
        assertThat(runner.awaitEnd(1_000)).isTrue();
    }

    @Test
    void shouldCountAFailedStepAndCarryOn() {
        LoopRunner runner = new LoopRunner("test loop", LoggerFactory.getLogger(LoopRunnerTest.class));
        runner.run(() -> {
            for (int i = 0; i < 5; i++) {
                int step = i;
                runner.guarded("step", () -> {
                    if (step % 2 == 0) {
                        throw new IllegalArgumentException("step " + step);
                    }
                    steps.add("step " + step);
                });
            }
            runner.failed("timers", new IllegalStateException("late"));
        }, () -> steps.add("shutdown"));
        assertThat(steps).containsExactly("step 1", "step 3", "shutdown");
        assertThat(runner.failures()).isEqualTo(4);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
