package io.courier.client.internal;

import io.courier.client.Message;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Disconnect;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Reply;
import io.courier.protocol.codec.NativeMessage.StatusReply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request/reply logic of a client connection: correlation ids, pending requests, per-attempt deadlines, retries
 * with the same correlation id, and the mapping of REPLY, ERROR and STATUS_REPLY to futures. Stream commands, and
 * ERRORs for publishes (negative correlation ids), go to its {@link StreamClientCore}; queue commands, and ERRORs
 * for enqueues and queue admin commands (ids from 2^62), to its {@link QueueClientCore}. Thread-free:
 * confined to the {@code courier-client-N} thread, and driven directly by unit tests with a manual clock.
 *
 * <p>An EXPIRED error counts as a timeout of the current attempt (retried while attempts remain, then failed
 * with reason EXPIRED). Because a retry reuses the correlation id, an EXPIRED for the previous attempt can
 * arrive just after our own timer started the next one: the first EXPIRED within half a timeout of a
 * timer-started attempt is taken to be that stale one and ignored.
 */
final class ClientCore implements LoopCore {
    private static final Logger LOG = LoggerFactory.getLogger(ClientCore.class);
    private static final int COMPACT_SLACK = 1024;

    private final String role;
    private final Outbox out;
    private final LongSupplier clock;
    private final InFlightWindow inFlight;
    private final StreamClientCore streams;
    private final QueueClientCore queues;
    private final Map<Long, PendingRequest> pending = new LinkedHashMap<>();
    private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>();
    private long nextCorrelationId = 1;
    private long brokerMaxMessageBytes = Long.MAX_VALUE;
    private boolean closed;
    private String refused;   // why the broker refused this client, until it accepts it again; null when not

    /** A deadline entry; stale ones (request done, or a later attempt) are skipped when they come due. */
    private record Deadline(long at, long correlationId, int attempt) implements Comparable<Deadline> {
        @Override
        public int compareTo(Deadline other) {
            return Long.compare(at, other.at);
        }
    }

    /** {@code inFlight} is shared with the handle, which counts a request in before queuing it. */
    ClientCore(String role, Outbox out, LongSupplier clock, InFlightWindow inFlight) {
        this(role, out, clock, inFlight, new StreamClientCore(role, out, clock, inFlight, 5_000));
    }

    /** With the core that takes the stream commands (publishes, subscriptions). */
    ClientCore(String role, Outbox out, LongSupplier clock, InFlightWindow inFlight, StreamClientCore streams) {
        this(role, out, clock, inFlight, streams, new QueueClientCore(role, out, clock, inFlight));
    }

    /** With the cores that take the stream commands and the queue commands. */
    ClientCore(String role, Outbox out, LongSupplier clock, InFlightWindow inFlight, StreamClientCore streams,
               QueueClientCore queues) {
        this.role = role;
        this.out = out;
        this.clock = clock;
        this.inFlight = inFlight;
        this.streams = streams;
        this.queues = queues;
    }

    StreamClientCore streams() {
        return streams;
    }

    QueueClientCore queues() {
        return queues;
    }

    int pendingCount() {
        return pending.size();
    }

    /** A new request from the handle: give it a correlation id, start its deadline and send it. */
    void onSubmit(PendingRequest request) {
        if (closed) {
            finish(request, new CourierException(Reason.CLOSED, request.operation() + " failed: client is closed"));
            return;
        }
        if (refused != null) {
            finish(request, new CourierException(Reason.REFUSED, request.operation() + " failed: " + refused));
            return;
        }
        if (request.bodyBytes() > brokerMaxMessageBytes) {
            finish(request, new CourierException(Reason.TOO_LARGE, request.operation() + " failed: body of "
                    + request.bodyBytes() + " bytes is over the broker's max-message-bytes " + brokerMaxMessageBytes));
            return;
        }
        long now = clock.getAsLong();
        long id = nextCorrelationId++;
        request.begin(id, now);
        pending.put(id, request);
        schedule(request);
        out.send(request.toWire(now));   // if not sent, the next reconnect or the deadline takes care of it
    }

    @Override
    public void onConnected() {
        long now = clock.getAsLong();
        int resent = 0;
        for (PendingRequest request : pending.values()) {
            if (now < request.attemptDeadline() && out.send(request.toWire(now))) {
                resent++;
            }
        }
        if (resent > 0) {
            LOG.debug("requests resent conn={} count={}", role, resent);
        }
        streams.onConnected();
        queues.onConnected();
    }

    @Override
    public void onWelcome(Headers properties) {
        String value = properties.get("max-message-bytes");
        if (value != null) {
            try {
                long limit = Long.parseLong(value);
                brokerMaxMessageBytes = limit > 0 ? limit : Long.MAX_VALUE;
            } catch (NumberFormatException e) {
                LOG.debug("welcome property ignored conn={} key=max-message-bytes value={}", role, value);
            }
        }
        streams.onWelcome(properties);
        queues.onWelcome(properties);
    }

    @Override
    public void onMessage(NativeMessage message) {
        if (message instanceof Reply reply) {
            onReply(reply);
        } else if (message instanceof ErrorReply error) {
            onError(error);
        } else if (message instanceof StatusReply status) {
            onStatusReply(status);
        } else if (!streams.onMessage(message) && !queues.onMessage(message)) {
            LOG.debug("unexpected command from broker conn={} command={}", role, message.command());
        }
    }

    private void onReply(Reply reply) {
        PendingRequest request = pending.remove(reply.correlationId());
        if (request == null) {
            LOG.trace("late reply ignored conn={} id={}", role, reply.correlationId());
            return;
        }
        inFlight.release();
        if (!request.completeReply(new Message(reply.headers().asMap(), reply.body()))) {
            request.fail(new CourierException(Reason.PROTOCOL, request.operation() + " failed: broker sent REPLY"));
        }
    }

    private void onStatusReply(StatusReply status) {
        PendingRequest request = pending.remove(status.correlationId());
        if (request == null) {
            LOG.trace("late status reply ignored conn={} id={}", role, status.correlationId());
            return;
        }
        inFlight.release();
        if (!request.completeStatus(status.json())) {
            request.fail(new CourierException(Reason.PROTOCOL,
                    request.operation() + " failed: broker sent STATUS_REPLY"));
        }
    }

    private void onError(ErrorReply error) {
        if (PublishTracker.owns(error.correlationId())) {
            streams.onError(error);
            return;
        }
        if (EnqueueTracker.owns(error.correlationId())) {
            queues.onError(error);
            return;
        }
        PendingRequest request = pending.get(error.correlationId());
        if (request == null) {
            LOG.trace("late error ignored conn={} id={} code={}", role, error.correlationId(), error.code().code());
            return;
        }
        if (error.code() != ErrorCode.EXPIRED) {
            pending.remove(error.correlationId());
            finish(request, new CourierException(error.code().reason(), request.operation() + " failed: "
                    + error.reason() + " (code " + error.code().code() + ")"));
            return;
        }
        long now = clock.getAsLong();
        if (request.retriedByTimer() && now - request.attemptStart() < request.timeoutMillis() / 2) {
            request.clearRetriedByTimer();   // the broker's word on the attempt our timer already retried
            LOG.trace("stale expiry ignored conn={} id={}", role, error.correlationId());
            return;
        }
        attemptEnded(request, now, true);
    }

    @Override
    public long onTimers(long now) {
        while (!deadlines.isEmpty() && deadlines.peek().at() <= now) {
            Deadline due = deadlines.poll();
            PendingRequest request = pending.get(due.correlationId());
            if (request != null && request.attempt() == due.attempt()) {
                attemptEnded(request, now, false);
            }
        }
        if (deadlines.size() > 2 * pending.size() + COMPACT_SLACK) {
            compact();
        }
        long next = Math.min(streams.onTimers(now), queues.onTimers(now));
        return deadlines.isEmpty() ? next : Math.min(next, deadlines.peek().at());
    }

    @Override
    public void onDisconnected() {
        streams.onDisconnected();
        queues.onDisconnected();
    }

    /** The current attempt timed out (our timer) or expired (the broker said so): retry, or fail. */
    private void attemptEnded(PendingRequest request, long now, boolean expiredByBroker) {
        if (request.hasAttemptsLeft()) {
            request.nextAttempt(now, !expiredByBroker);
            schedule(request);
            out.send(request.toWire(now));
            LOG.debug("request retried conn={} id={} attempt={} cause={}", role, request.correlationId(),
                    request.attempt(), expiredByBroker ? "expired" : "timeout");
            return;
        }
        pending.remove(request.correlationId());
        if (expiredByBroker) {
            finish(request, new CourierException(Reason.EXPIRED, request.operation() + " expired in the broker after "
                    + request.totalTimeout() + " (" + request.attemptsText() + ")"));
        } else {
            finish(request, new CourierException(Reason.TIMEOUT, request.operation() + " timed out after "
                    + request.totalTimeout() + " (" + request.attemptsText() + ")"));
        }
    }

    /** Tells the broker we are leaving, so it forgets this client now rather than after the liveness window. */
    @Override
    public NativeMessage goodbye() {
        queues.onGoodbye();   // acks and cancels made just before close() still leave, ahead of the DISCONNECT
        return new Disconnect("client closing");
    }

    /** Every pending request fails REFUSED, and so do new ones until the broker accepts this client. */
    @Override
    public void onRefused(String why) {
        refused = why;
        List<PendingRequest> left = new ArrayList<>(pending.values());
        pending.clear();
        deadlines.clear();
        for (PendingRequest request : left) {
            finish(request, new CourierException(Reason.REFUSED, request.operation() + " failed: " + why));
        }
        streams.onRefused(why);
        queues.onRefused(why);
    }

    @Override
    public void onAccepted() {
        if (refused != null) {
            refused = null;
            streams.onAccepted();
            queues.onAccepted();
        }
    }

    @Override
    public void onClose() {
        closed = true;
        streams.onClose();
        queues.onClose();
        List<PendingRequest> left = new ArrayList<>(pending.values());
        pending.clear();
        deadlines.clear();
        for (PendingRequest request : left) {
            finish(request, new CourierException(Reason.CLOSED, request.operation() + " failed: client closed"));
        }
    }

    private void finish(PendingRequest request, CourierException error) {
        inFlight.release();
        request.fail(error);
    }

    private void schedule(PendingRequest request) {
        deadlines.add(new Deadline(request.attemptDeadline(), request.correlationId(), request.attempt()));
    }

    /** Drops stale deadline entries once they outnumber live ones, so the heap stays near the pending count. */
    private void compact() {
        deadlines.clear();
        for (PendingRequest request : pending.values()) {
            schedule(request);
        }
    }
}
