package io.courier.client.internal;

import io.courier.client.WorkerOptions;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Disconnect;
import io.courier.protocol.codec.NativeMessage.Fail;
import io.courier.protocol.codec.NativeMessage.Job;
import io.courier.protocol.codec.NativeMessage.Ready;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job logic of a worker connection: sends READY on every new socket, hands each JOB to the handler executor
 * through a {@link Dispatcher}, and sends the DONE or FAIL that comes back through the mailbox. Thread-free:
 * confined to the {@code courier-worker-N} thread; handlers run elsewhere.
 *
 * <p>Each socket is a new registration ("epoch"). An outcome from an earlier epoch is dropped: the broker has
 * already put that job back in its queue for another worker (under the same job id). On close the core stops
 * starting jobs and waits
 * (bounded) for the running ones to answer; jobs not started are left to the broker, which re-queues them
 * when it gets the DISCONNECT.
 */
final class WorkerCore implements LoopCore {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerCore.class);
    static final long DRAIN_MILLIS = 1_000;

    /** Runs a job's handler off the I/O thread and reports its DONE or FAIL back to {@link #onOutcome}. */
    @FunctionalInterface
    interface Dispatcher {
        /** May throw {@link RejectedExecutionException} when the handler executor refuses work. */
        void dispatch(Job job, int epoch);
    }

    private final String role;
    private final WorkerOptions options;
    private final Headers readyProperties;
    private final Outbox out;
    private final Dispatcher dispatcher;
    private int epoch;
    private int running;
    private boolean draining;
    private long drainDeadline;
    private boolean closed;
    private volatile String refusal;   // written on the I/O thread, read by any thread

    WorkerCore(String role, WorkerOptions options, Headers readyProperties, Outbox out, Dispatcher dispatcher) {
        this.role = role;
        this.options = options;
        this.readyProperties = readyProperties;
        this.out = out;
        this.dispatcher = dispatcher;
    }

    int running() {
        return running;
    }

    /** Any thread: why the broker refuses this worker now, or null. */
    String refusal() {
        return refusal;
    }

    @Override
    public void onRefused(String why) {
        refusal = why;
    }

    @Override
    public void onAccepted() {
        refusal = null;
    }

    @Override
    public void onConnected() {
        epoch++;
        out.send(new Ready(options.service(), options.capacity(), readyProperties));
        LOG.debug("worker registering conn={} service={} capacity={}", role, options.service(), options.capacity());
    }

    @Override
    public void onMessage(NativeMessage message) {
        if (message instanceof Job job) {
            onJob(job);
        } else {
            LOG.debug("unexpected command from broker conn={} command={}", role, message.command());
        }
    }

    private void onJob(Job job) {
        if (draining || closed) {
            LOG.debug("job left to the broker conn={} jobId={} cause=closing", role, job.jobId());
            return;
        }
        running++;
        try {
            dispatcher.dispatch(job, epoch);
        } catch (RejectedExecutionException e) {
            running--;
            out.send(new Fail(job.jobId(), ErrorCode.SERVICE_ERROR,
                    "worker could not run the handler: " + e.getMessage()));
        }
    }

    /** A handler finished: {@code reply} is its DONE or FAIL, for the registration {@code fromEpoch}. */
    void onOutcome(int fromEpoch, NativeMessage reply) {
        running--;
        if (closed) {
            return;
        }
        if (fromEpoch != epoch) {
            LOG.debug("outcome dropped conn={} command={} cause=reconnected", role, reply.command());
            return;
        }
        out.send(reply);
    }

    @Override
    public long onTimers(long now) {
        return draining ? drainDeadline : Long.MAX_VALUE;
    }

    @Override
    public boolean readyToStop(long now) {
        if (!draining) {
            draining = true;
            drainDeadline = now + DRAIN_MILLIS;
        }
        if (running > 0 && now >= drainDeadline) {
            LOG.warn("worker closing with handlers still running conn={} running={}", role, running);
        }
        return running == 0 || now >= drainDeadline;
    }

    @Override
    public NativeMessage goodbye() {
        return new Disconnect("worker closing");
    }

    @Override
    public void onClose() {
        closed = true;
    }
}
