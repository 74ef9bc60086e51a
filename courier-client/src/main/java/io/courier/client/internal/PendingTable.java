package io.courier.client.internal;

import io.courier.client.internal.PendingOperation.Kind;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
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
 * Every operation of one client connection that awaits the broker's answer (requests, publishes, enqueues, queue
 * admin commands), by correlation id: admission (closed, refused, over the broker's max-message-bytes), deadlines
 * run on the timers, the ERROR routing (to the operation the id belongs to, whatever its kind), what a lost socket
 * and a new one mean for each, and the in-flight window, given a place back whenever an operation leaves the
 * table. Answers other than ERROR are taken by the kind they are for ({@link #answered}). What differs between
 * kinds (retries, batches, resends) is the operations' own: see {@link PendingOperation}.
 *
 * <p>Thread-free: confined to the {@code courier-client-N} thread, and driven directly by unit tests with a manual
 * clock.
 */
final class PendingTable {
    /** How often sends the socket refused are tried again, for the kinds that do. */
    static final long RECHECK_MILLIS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(PendingTable.class);
    private static final int COMPACT_SLACK = 1024;

    private final String role;
    private final Outbox out;
    private final LongSupplier clock;
    private final InFlightWindow inFlight;
    private final Map<Long, PendingOperation> pending = new LinkedHashMap<>();
    private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>();
    private long nextUp = 1;
    private long nextDown = -1;
    private long brokerMaxMessageBytes = Long.MAX_VALUE;
    private boolean connected;
    private boolean closed;
    private String refused;   // why the broker refused this client, until it accepts it again; null when not
    private int unsent;
    private long resent;
    private long strays;

    /** A deadline entry; stale ones (operation gone, or a later attempt) are skipped when they come due. */
    private record Deadline(long at, long correlationId) implements Comparable<Deadline> {
        @Override
        public int compareTo(Deadline other) {
            return Long.compare(at, other.at);
        }
    }

    /** {@code inFlight} is shared with the handle, which takes a place before queuing an operation. */
    PendingTable(String role, Outbox out, LongSupplier clock, InFlightWindow inFlight) {
        this.role = role;
        this.out = out;
        this.clock = clock;
        this.inFlight = inFlight;
    }

    String role() {
        return role;
    }

    int size() {
        return pending.size();
    }

    boolean isClosed() {
        return closed;
    }

    /** The broker's max-message-bytes from its last WELCOME; {@code Long.MAX_VALUE} until one says. */
    long brokerMaxMessageBytes() {
        return brokerMaxMessageBytes;
    }

    /** Operations sent again on a new socket, in all. */
    long resent() {
        return resent;
    }

    /** Answers and ERRORs for ids no pending operation of that kind has (late, or unknown), in all. */
    long strays() {
        return strays;
    }

    /** Admits and sends a new operation; one refused admission is failed at once. */
    void submit(PendingOperation op) {
        if (admit(op)) {
            send(op);
        }
    }

    /**
     * Admits a new operation: fails it when the client is closed or refused or its body is too large (false);
     * else gives it its correlation id and deadline (true). The caller then sends it.
     */
    boolean admit(PendingOperation op) {
        if (closed) {
            reject(op, new CourierException(Reason.CLOSED, op.operation() + " failed: client is closed"));
            return false;
        }
        if (refused != null) {
            reject(op, new CourierException(Reason.REFUSED, op.operation() + " failed: " + refused));
            return false;
        }
        if (op.bodyBytes() > brokerMaxMessageBytes) {
            reject(op, new CourierException(Reason.TOO_LARGE, op.operation() + " failed: body of " + op.bodyBytes()
                    + " bytes is over the broker's max-message-bytes " + brokerMaxMessageBytes));
            return false;
        }
        long id = op.kind().idsCountDown() ? nextDown-- : nextUp++;
        op.begin(id, clock.getAsLong());
        pending.put(id, op);
        schedule(op);
        return true;
    }

    /** Puts an admitted operation on the socket; without one, it waits for the next (see {@link #onConnected}). */
    void send(PendingOperation op) {
        if (!connected) {
            return;
        }
        op.sent(out.send(op.toWire(clock.getAsLong())));
        if (!op.isSent() && op.sendsAgainWhenRefused()) {
            unsent++;
        }
    }

    /**
     * The operation of kind {@code kind} that the broker answered with id {@code id}, out of the table with its
     * place in the window given back; null (counted and logged) when none of that kind has the id.
     */
    PendingOperation answered(long id, Kind kind) {
        PendingOperation op = remove(id, kind);
        if (op == null) {
            strays++;
            LOG.trace("late answer ignored conn={} id={} kind={}", role, id, kind);
        }
        return op;
    }

    /** Like {@link #answered}, without counting a missing one: for the other entries of a batch. */
    PendingOperation remove(long id, Kind kind) {
        Long key = id;
        PendingOperation op = pending.get(key);
        if (op == null || op.kind() != kind) {
            return null;
        }
        pending.remove(key);
        inFlight.release();
        return op;
    }

    /** Fails a pending operation: out of the table, its place given back. */
    void fail(PendingOperation op, CourierException error) {
        if (pending.remove(op.correlationId()) == op) {
            reject(op, error);
        }
    }

    /** The operation began a new attempt (its deadline moved on): it goes again now. */
    void retry(PendingOperation op, String cause) {
        schedule(op);
        send(op);
        LOG.debug("pending operation retried conn={} kind={} id={} cause={}", role, op.kind(), op.correlationId(),
                cause);
    }

    /** An ERROR: the operation its id belongs to decides, whatever its kind. */
    void onError(ErrorReply error) {
        PendingOperation op = pending.get(error.correlationId());
        if (op == null) {
            strays++;
            LOG.trace("late error ignored conn={} id={} code={}", role, error.correlationId(), error.code().code());
            return;
        }
        op.onError(error, clock.getAsLong(), this);
    }

    /** A new socket: what each operation's kind sends again goes now, in the order they were submitted. */
    void onConnected() {
        connected = true;
        unsent = 0;
        long now = clock.getAsLong();
        int again = 0;
        for (PendingOperation op : pending.values()) {
            if (op.resendOnConnect(now)) {
                again += op.sends() > 0 ? 1 : 0;
                send(op);
            }
        }
        if (again > 0) {
            resent += again;
            LOG.debug("pending operations sent again conn={} count={}", role, again);
        }
    }

    void onWelcome(Headers properties) {
        String value = properties.get("max-message-bytes");
        if (value != null) {
            try {
                long limit = Long.parseLong(value);
                brokerMaxMessageBytes = limit > 0 ? limit : Long.MAX_VALUE;
            } catch (NumberFormatException e) {
                LOG.debug("welcome property ignored conn={} key=max-message-bytes value={}", role, value);
            }
        }
    }

    /** The socket is gone: operations sent at most once fail (their outcome is unknown); the others wait. */
    void onDisconnected() {
        connected = false;
        unsent = 0;
        Iterator<PendingOperation> it = pending.values().iterator();
        while (it.hasNext()) {
            PendingOperation op = it.next();
            CourierException lost = op.isSent() ? op.lostWithSocket() : null;
            if (lost != null) {
                it.remove();
                reject(op, lost);
            } else {
                op.sent(false);
            }
        }
    }

    /** Runs the deadlines due at {@code now} and the resends of refused sends; returns when next to run. */
    long onTimers(long now) {
        while (!deadlines.isEmpty() && deadlines.peek().at() <= now) {
            Deadline due = deadlines.poll();
            PendingOperation op = pending.get(due.correlationId());
            if (op != null && op.deadline() == due.at()) {
                op.onDeadline(now, this);
            }
        }
        if (connected && unsent > 0) {
            unsent = 0;
            for (PendingOperation op : pending.values()) {
                if (!op.isSent() && op.sendsAgainWhenRefused()) {
                    send(op);
                }
            }
        }
        if (deadlines.size() > 2 * pending.size() + COMPACT_SLACK) {
            deadlines.clear();
            pending.values().forEach(this::schedule);
        }
        long next = deadlines.isEmpty() ? Long.MAX_VALUE : deadlines.peek().at();
        return unsent > 0 ? Math.min(next, now + RECHECK_MILLIS) : next;
    }

    /** The broker refused this client: everything pending fails REFUSED, and new operations too until accepted. */
    void onRefused(String why) {
        refused = why;
        failAll(Reason.REFUSED, " failed: " + why);
    }

    /** The broker took this client after all. */
    void onAccepted() {
        refused = null;
    }

    void onClose() {
        closed = true;
        failAll(Reason.CLOSED, " failed: client closed");
    }

    private void failAll(Reason reason, String why) {
        List<PendingOperation> left = new ArrayList<>(pending.values());
        pending.clear();
        deadlines.clear();
        unsent = 0;
        for (PendingOperation op : left) {
            reject(op, new CourierException(reason, op.operation() + why));
        }
    }

    private void reject(PendingOperation op, CourierException error) {
        inFlight.release();
        op.fail(error);
    }

    private void schedule(PendingOperation op) {
        deadlines.add(new Deadline(op.deadline(), op.correlationId()));
    }
}
