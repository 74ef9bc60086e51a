package io.courier.client.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.WorkerOptions;
import io.courier.protocol.Command;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Disconnect;
import io.courier.protocol.codec.NativeMessage.Done;
import io.courier.protocol.codec.NativeMessage.Fail;
import io.courier.protocol.codec.NativeMessage.Job;
import io.courier.protocol.codec.NativeMessage.Ready;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** Drives the worker core directly: the dispatcher records jobs instead of running handlers. */
class WorkerCoreTest {
    private final List<NativeMessage> sent = new ArrayList<>();
    private final List<Integer> epochs = new ArrayList<>();
    private final List<Job> dispatched = new ArrayList<>();
    private boolean rejecting;
    private final WorkerCore core = new WorkerCore("test", WorkerOptions.of("echo").withCapacity(2),
            Headers.of(Map.of("name", "w")), sent::add, (job, epoch) -> {
                if (rejecting) {
                    throw new RejectedExecutionException("pool is shut down");
                }
                dispatched.add(job);
                epochs.add(epoch);
            });

    private static Job job(long id) {
        return new Job(id, 1_000, Headers.EMPTY, "ping".getBytes(UTF_8));
    }

    private static Done done(long id) {
        return new Done(id, Headers.EMPTY, "pong".getBytes(UTF_8));
    }

    @Test
    void shouldSendReadyOnEveryNewSocket() {
        core.onConnected();
        core.onConnected();

        assertThat(sent).hasSize(2).allSatisfy(m -> {
            Ready ready = (Ready) m;
            assertThat(ready.service()).isEqualTo("echo");
            assertThat(ready.capacity()).isEqualTo(2);
            assertThat(ready.properties().get("name")).isEqualTo("w");
        });
    }

    @Test
    void shouldDispatchJobsAndSendTheirOutcomes() {
        core.onConnected();
        core.onMessage(job(1));
        core.onMessage(job(2));
        assertThat(core.running()).isEqualTo(2);

        core.onOutcome(epochs.get(1), new Fail(2, ErrorCode.SERVICE_ERROR, "boom"));
        core.onOutcome(epochs.get(0), done(1));

        assertThat(dispatched).extracting(Job::jobId).containsExactly(1L, 2L);
        assertThat(sent.subList(1, 3)).extracting(NativeMessage::command)
                .containsExactly(Command.FAIL, Command.DONE);
        assertThat(core.running()).isZero();
    }

    @Test
    void shouldDropOutcomesOfJobsFromAnEarlierRegistration() {
        core.onConnected();
        core.onMessage(job(1));
        core.onConnected();

        core.onOutcome(epochs.get(0), done(1));

        assertThat(sent).hasSize(2).allMatch(m -> m instanceof Ready);
        assertThat(core.running()).isZero();
    }

    @Test
    void shouldFailAJobTheExecutorRefuses() {
        core.onConnected();
        rejecting = true;

        core.onMessage(job(5));

        Fail fail = (Fail) sent.get(1);
        assertThat(fail.jobId()).isEqualTo(5);
        assertThat(fail.code()).isEqualTo(ErrorCode.SERVICE_ERROR);
        assertThat(core.running()).isZero();
    }

    @Test
    void shouldLetRunningHandlersAnswerBeforeStopping() {
        core.onConnected();
        core.onMessage(job(1));

        assertThat(core.readyToStop(0)).isFalse();
        assertThat(core.onTimers(0)).isEqualTo(WorkerCore.DRAIN_MILLIS);
        core.onMessage(job(2));
        core.onOutcome(epochs.get(0), done(1));

        assertThat(dispatched).hasSize(1);
        assertThat(sent.get(sent.size() - 1)).isInstanceOf(Done.class);
        assertThat(core.readyToStop(10)).isTrue();
        assertThat(core.goodbye()).isInstanceOf(Disconnect.class);
    }

    @Test
    void shouldStopAtTheDrainDeadlineEvenWithHandlersRunning() {
        core.onConnected();
        core.onMessage(job(1));

        assertThat(core.readyToStop(0)).isFalse();
        assertThat(core.readyToStop(WorkerCore.DRAIN_MILLIS - 1)).isFalse();
        assertThat(core.readyToStop(WorkerCore.DRAIN_MILLIS)).isTrue();
    }

    @Test
    void shouldSendNothingOnceClosed() {
        core.onConnected();
        core.onMessage(job(1));
        core.onClose();

        core.onOutcome(epochs.get(0), done(1));
        core.onMessage(job(2));

        assertThat(sent).hasSize(1);
        assertThat(dispatched).hasSize(1);
    }
}
