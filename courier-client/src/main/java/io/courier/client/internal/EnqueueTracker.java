package io.courier.client.internal;

import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.core.Durations;
import io.courier.protocol.codec.NativeMessage.Confirm;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enqueues and queue admin commands of one client connection: correlation ids (from {@link #FIRST_ID} up, a range
 * that requests, counting up from 1, and publishes, counting down from -1, never reach), CONFIRM, QUEUE_ADMIN_REPLY
 * and ERROR matching, and deadlines. An unconfirmed enqueue is sent again, unchanged, on every new socket: the broker
 * recognises the producer message id and confirms the original, so a resend never makes a copy. An admin command is
 * sent at most once. Thread-free; confined to the {@code courier-client-N} thread.
 */
final class EnqueueTracker {
    /** The first correlation id of queue commands. */
    static final long FIRST_ID = 1L << 62;
    private static final Logger LOG = LoggerFactory.getLogger(EnqueueTracker.class);
    private static final int COMPACT_SLACK = 1024;

    private final String role;
    private final Outbox out;
    private final LongSupplier clock;
    private final InFlightWindow inFlight;
    private final Map<Long, PendingEnqueue> enqueues = new LinkedHashMap<>();
    private final Map<Long, PendingAdmin<?>> admins = new LinkedHashMap<>();
    private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>();
    private long nextId = FIRST_ID;
    private long brokerMaxMessageBytes = Long.MAX_VALUE;
    private boolean connected;
    private boolean closed;
    private String refused;   // why the broker refused this client, until it accepts it again; null when not
    private int unsent;
    private long resent;

    private record Deadline(long at, long correlationId) implements Comparable<Deadline> {
        @Override
        public int compareTo(Deadline other) {
            return Long.compare(at, other.at);
        }
    }

    /** {@code inFlight} is shared with the handle, which counts an enqueue or admin command in before queuing it. */
    EnqueueTracker(String role, Outbox out, LongSupplier clock, InFlightWindow inFlight) {
        this.role = role;
        this.out = out;
        this.clock = clock;
        this.inFlight = inFlight;
    }

    /** True for the correlation ids of enqueues and admin commands. */
    static boolean owns(long correlationId) {
        return correlationId >= FIRST_ID;
    }

    int pendingCount() {
        return enqueues.size() + admins.size();
    }

    /** Enqueues sent again on a new socket, in all. */
    long resent() {
        return resent;
    }

    boolean hasUnsent() {
        return unsent > 0;
    }

    void brokerMaxMessageBytes(long value) {
        brokerMaxMessageBytes = value;
    }

    void onEnqueue(PendingEnqueue enqueue) {
        if (closed) {
            finishEnqueue(enqueue, new CourierException(Reason.CLOSED, enqueue.operation()
                    + " failed: client is closed"));
            return;
        }
        if (refused != null) {
            finishEnqueue(enqueue, new CourierException(Reason.REFUSED, enqueue.operation() + " failed: " + refused));
            return;
        }
        if (enqueue.bodyBytes() > brokerMaxMessageBytes) {
            finishEnqueue(enqueue, new CourierException(Reason.TOO_LARGE, enqueue.operation() + " failed: body of "
                    + enqueue.bodyBytes() + " bytes is over the broker's max-message-bytes " + brokerMaxMessageBytes));
            return;
        }
        long id = nextId++;
        enqueue.begin(id, clock.getAsLong());
        enqueues.put(id, enqueue);
        deadlines.add(new Deadline(enqueue.deadline(), id));
        send(enqueue);
    }

    void onAdmin(PendingAdmin<?> admin) {
        if (closed) {
            finishAdmin(admin, new CourierException(Reason.CLOSED, admin.operation() + " failed: client is closed"));
            return;
        }
        if (refused != null) {
            finishAdmin(admin, new CourierException(Reason.REFUSED, admin.operation() + " failed: " + refused));
            return;
        }
        long id = nextId++;
        admin.begin(id, clock.getAsLong());
        admins.put(id, admin);
        deadlines.add(new Deadline(admin.deadline(), id));
        if (connected) {
            admin.sent(out.send(admin.toWire()));
            unsent += admin.isSent() ? 0 : 1;
        }
    }

    /** A new socket: every unconfirmed enqueue goes again (same ids), and admin commands that never left. */
    void onConnected() {
        connected = true;
        int again = 0;
        for (PendingEnqueue enqueue : enqueues.values()) {
            again += enqueue.sends() > 0 && !enqueue.isSent() ? 1 : 0;
        }
        sendUnsent();
        if (again > 0) {
            resent += again;
            LOG.debug("unconfirmed enqueues resent conn={} count={}", role, again);
        }
    }

    /** The socket is gone: enqueues wait for the next one; admin commands it carried have an unknown outcome. */
    void onDisconnected() {
        connected = false;
        enqueues.values().forEach(e -> e.sent(false));
        Iterator<PendingAdmin<?>> it = admins.values().iterator();
        while (it.hasNext()) {
            PendingAdmin<?> admin = it.next();
            if (admin.isSent()) {
                it.remove();
                finishAdmin(admin, new CourierException(Reason.UNAVAILABLE, admin.operation()
                        + " failed: connection lost before the broker answered; it may or may not have been done"));
            }
        }
    }

    void onConfirm(Confirm confirm) {
        PendingEnqueue enqueue = enqueues.remove(confirm.correlationId());
        if (enqueue == null) {
            LOG.trace("late confirm ignored conn={} id={}", role, confirm.correlationId());
            return;
        }
        inFlight.release();
        enqueue.complete(confirm.seq(), confirm.duplicate());
    }

    void onAdminReply(QueueAdminReply reply) {
        PendingAdmin<?> admin = admins.remove(reply.correlationId());
        if (admin == null) {
            LOG.trace("late queue admin reply ignored conn={} id={}", role, reply.correlationId());
            return;
        }
        inFlight.release();
        admin.complete(reply);
    }

    /** An ERROR whose correlation id is one of ours (see {@link #owns}). */
    void onError(ErrorReply error) {
        String why = " failed: " + error.reason() + " (code " + error.code().code() + ")";
        PendingEnqueue enqueue = enqueues.remove(error.correlationId());
        if (enqueue != null) {
            finishEnqueue(enqueue, new CourierException(error.code().reason(), enqueue.operation() + why));
            return;
        }
        PendingAdmin<?> admin = admins.remove(error.correlationId());
        if (admin != null) {
            finishAdmin(admin, new CourierException(error.code().reason(), admin.operation() + why));
            return;
        }
        LOG.trace("late queue error ignored conn={} id={} code={}", role, error.correlationId(), error.code().code());
    }

    long onTimers(long now) {
        while (!deadlines.isEmpty() && deadlines.peek().at() <= now) {
            long id = deadlines.poll().correlationId();
            PendingEnqueue enqueue = enqueues.remove(id);
            if (enqueue != null) {
                finishEnqueue(enqueue, new CourierException(Reason.TIMEOUT, enqueue.operation()
                        + " not confirmed within " + Durations.format(Duration.ofMillis(enqueue.timeoutMillis()))));
            }
            PendingAdmin<?> admin = admins.remove(id);
            if (admin != null) {
                finishAdmin(admin, new CourierException(Reason.TIMEOUT, admin.operation() + " not answered within "
                        + Durations.format(Duration.ofMillis(admin.timeoutMillis()))));
            }
        }
        if (connected && unsent > 0) {
            sendUnsent();   // the send queue was full: try those again
        }
        if (deadlines.size() > 2 * pendingCount() + COMPACT_SLACK) {
            deadlines.clear();
            enqueues.values().forEach(e -> deadlines.add(new Deadline(e.deadline(), e.correlationId())));
            admins.values().forEach(a -> deadlines.add(new Deadline(a.deadline(), a.correlationId())));
        }
        return deadlines.isEmpty() ? Long.MAX_VALUE : deadlines.peek().at();
    }

    /** The broker refused this client: everything pending fails REFUSED, and new work too until accepted. */
    void onRefused(String why) {
        refused = why;
        failAll(Reason.REFUSED, " failed: " + why);
    }

    void onAccepted() {
        refused = null;
    }

    void onClose() {
        closed = true;
        failAll(Reason.CLOSED, " failed: client closed");
    }

    private void failAll(Reason reason, String why) {
        List<PendingEnqueue> leftEnqueues = new ArrayList<>(enqueues.values());
        List<PendingAdmin<?>> leftAdmins = new ArrayList<>(admins.values());
        enqueues.clear();
        admins.clear();
        deadlines.clear();
        leftEnqueues.forEach(e -> finishEnqueue(e, new CourierException(reason, e.operation() + why)));
        leftAdmins.forEach(a -> finishAdmin(a, new CourierException(reason, a.operation() + why)));
    }

    /** Sends, in order, every enqueue and admin command not yet on the current socket. */
    private void sendUnsent() {
        unsent = 0;
        enqueues.values().forEach(this::send);
        for (PendingAdmin<?> admin : admins.values()) {
            if (!admin.isSent()) {
                admin.sent(out.send(admin.toWire()));
                unsent += admin.isSent() ? 0 : 1;
            }
        }
    }

    private void send(PendingEnqueue enqueue) {
        if (!connected || enqueue.isSent()) {
            return;
        }
        enqueue.sent(out.send(enqueue.toWire()));
        unsent += enqueue.isSent() ? 0 : 1;
    }

    private void finishEnqueue(PendingEnqueue enqueue, CourierException error) {
        inFlight.release();
        enqueue.fail(error);
    }

    private void finishAdmin(PendingAdmin<?> admin, CourierException error) {
        inFlight.release();
        admin.fail(error);
    }
}
