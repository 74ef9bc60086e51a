package io.courier.client.internal;

import io.courier.client.internal.PendingOperation.Kind;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Ack;
import io.courier.protocol.codec.NativeMessage.Cancel;
import io.courier.protocol.codec.NativeMessage.Cancelled;
import io.courier.protocol.codec.NativeMessage.Confirm;
import io.courier.protocol.codec.NativeMessage.Consume;
import io.courier.protocol.codec.NativeMessage.Consuming;
import io.courier.protocol.codec.NativeMessage.Deliver;
import io.courier.protocol.codec.NativeMessage.Nack;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable-queue logic of a client connection: enqueues and admin commands (which wait in the {@link PendingTable}
 * for their CONFIRM or QUEUE_ADMIN_REPLY) and consumers: CONSUME on every new socket, CONSUMING, DELIVER to the
 * consumer's handle, CANCEL and CANCELLED, and the settles the application makes, sent once per loop pass (all acks
 * of a consumer in one ACK). Settles of a session that ended are dropped: the broker handed those deliveries back
 * already.
 *
 * <p>Thread-free: confined to the {@code courier-client-N} thread and driven by unit tests with a manual clock. The
 * exceptions are {@link #settleLater} and {@link #cancelLater}, which any thread may call.
 */
final class QueueClientCore {
    /** How often CONSUMEs that found the send queue full are tried again. */
    static final long RECHECK_MILLIS = 10;
    /** The most tags one ACK carries (64 KiB). */
    static final int MAX_TAGS_PER_ACK = 8_192;
    static final String SHUTTING_DOWN = "shutting down";
    private static final Logger LOG = LoggerFactory.getLogger(QueueClientCore.class);

    private final String role;
    private final Outbox out;
    private final PendingTable table;
    private final Map<Long, ConsumerState> consumers = new LinkedHashMap<>();
    /** Settles ({@link Settle}) and cancels (a consumer id, {@link Long}) from the application, in their order. */
    private final Queue<Object> fromApplication = new ConcurrentLinkedQueue<>();
    private boolean connected;
    private boolean closed;
    private String refused;   // why the broker refused this client, until it accepts it again; null when not
    private int session;
    private int unsentConsumes;
    private long droppedSettles;
    private long strays;

    /** The loop's view of one consumer: its handle, and whether its CONSUME went out on the current socket. */
    private static final class ConsumerState {
        final ConsumerHandle handle;
        boolean sent;
        boolean attached;

        ConsumerState(ConsumerHandle handle) {
            this.handle = handle;
        }

        Consume toWire() {
            return new Consume(handle.id(), handle.queue(), handle.options().prefetch());
        }
    }

    /** Enqueues and admin commands wait in {@code table}. */
    QueueClientCore(Outbox out, PendingTable table) {
        this.role = table.role();
        this.out = out;
        this.table = table;
    }

    int consumerCount() {
        return consumers.size();
    }

    /** Settles dropped because their session had ended or their consumer was gone. */
    long droppedSettles() {
        return droppedSettles;
    }

    void onEnqueue(PendingEnqueue enqueue) {
        table.submit(enqueue);
    }

    void onAdmin(PendingAdmin<?> admin) {
        table.submit(admin);
    }

    /** A new consumer from the handle; its CONSUME goes out at once when connected, else on the next socket. */
    void onConsume(ConsumerHandle handle) {
        if (closed) {
            handle.onEnded("client closed", new CourierException(Reason.CLOSED, "consume from '" + handle.queue()
                    + "' failed: client is closed"));
            return;
        }
        if (handle.isClosed()) {
            return;   // closed by the application before the loop got to it
        }
        if (refused != null) {
            handle.onEnded("refused", new CourierException(Reason.REFUSED, "consume from '" + handle.queue()
                    + "' failed: " + refused));
            return;
        }
        ConsumerState state = new ConsumerState(handle);
        consumers.put(handle.id(), state);
        handle.onSession(session);
        if (connected) {
            sendConsume(state);
        }
    }

    /** Any thread: a delivery was settled; the loop sends it on its next pass. */
    void settleLater(Settle settle) {
        fromApplication.add(settle);
    }

    /** Any thread: the application closed consumer {@code id}; the loop cancels it on its next pass. */
    void cancelLater(long id) {
        fromApplication.add(id);
    }

    void onConnected() {
        connected = true;
        session++;
        unsentConsumes = 0;
        for (ConsumerState state : consumers.values()) {
            state.handle.onSession(session);
            state.sent = false;
            sendConsume(state);
        }
    }

    void onDisconnected() {
        connected = false;
        consumers.values().forEach(s -> s.sent = false);
    }

    /** Handles a queue command; false when {@code message} is not one. */
    boolean onMessage(NativeMessage message) {
        if (message instanceof Deliver deliver) {
            onDeliver(deliver);
        } else if (message instanceof Confirm confirm) {
            PendingEnqueue enqueue = (PendingEnqueue) table.answered(confirm.correlationId(), Kind.ENQUEUE);
            if (enqueue != null) {
                enqueue.complete(confirm.seq(), confirm.duplicate());
            }
        } else if (message instanceof Consuming consuming) {
            onConsuming(consuming);
        } else if (message instanceof Cancelled cancelled) {
            onCancelled(cancelled);
        } else if (message instanceof QueueAdminReply reply) {
            PendingAdmin<?> admin = (PendingAdmin<?>) table.answered(reply.correlationId(), Kind.ADMIN);
            if (admin != null) {
                admin.complete(reply);
            }
        } else {
            return false;
        }
        return true;
    }

    private void onDeliver(Deliver deliver) {
        ConsumerState state = consumers.get(deliver.consumerId());
        if (state == null) {
            if (strays++ == 0) {
                LOG.debug("delivery for no live consumer ignored conn={} consumer={} tag={}", role,
                        deliver.consumerId(), deliver.tag());
            }
            return;   // a consumer being cancelled: the broker hands the delivery back on CANCEL
        }
        state.handle.onDeliver(deliver, session);
    }

    private void onConsuming(Consuming consuming) {
        ConsumerState state = consumers.get(consuming.consumerId());
        if (state == null) {
            return;
        }
        if (!state.attached) {
            state.attached = true;
            LOG.debug("consuming conn={} consumer={} queue={}", role, consuming.consumerId(), consuming.queue());
        }
        state.handle.onConsuming();
    }

    private void onCancelled(Cancelled cancelled) {
        ConsumerState state = consumers.get(cancelled.consumerId());
        if (state == null) {
            return;   // the answer to our own CANCEL
        }
        if (cancelled.reason().contains(SHUTTING_DOWN)) {
            state.sent = false;   // kept: CONSUME goes again on the next socket
            LOG.info("consumer cancelled by the broker, consuming again after reconnect conn={} consumer={} "
                    + "queue={} reason={}", role, state.handle.id(), state.handle.queue(), cancelled.reason());
            return;
        }
        consumers.remove(cancelled.consumerId());
        LOG.warn("consumer ended by the broker conn={} consumer={} queue={} reason={}", role, state.handle.id(),
                state.handle.queue(), cancelled.reason());
        state.handle.onEnded(cancelled.reason(), new CourierException(Reason.REFUSED, "consume from '"
                + state.handle.queue() + "' refused by the broker: " + cancelled.reason()));
    }

    /** The client is closing: send the settles and cancels made until now, so that no ack made before is lost. */
    void onGoodbye() {
        fromApplication();
    }

    long onTimers(long now) {
        fromApplication();
        if (connected && unsentConsumes > 0) {
            unsentConsumes = 0;
            consumers.values().stream().filter(s -> !s.sent).forEach(this::sendConsume);
        }
        return unsentConsumes > 0 ? now + RECHECK_MILLIS : Long.MAX_VALUE;
    }

    /**
     * Sends what the application settled and cancelled since the last pass, in order: one ACK per consumer (sent
     * before that consumer's CANCEL), a NACK per nack. A settle after its consumer's cancel is dropped.
     */
    private void fromApplication() {
        Map<Long, List<Long>> acks = new LinkedHashMap<>();
        for (Object item = fromApplication.poll(); item != null; item = fromApplication.poll()) {
            if (item instanceof Long id) {
                List<Long> tags = acks.remove(id);
                if (tags != null) {
                    sendAcks(id, tags);
                }
                ConsumerState state = consumers.remove(id);
                if (state != null && connected && state.sent) {
                    out.send(new Cancel(id));   // if dropped, the broker frees it when the session ends
                }
                continue;
            }
            Settle settle = (Settle) item;
            ConsumerState state = consumers.get(settle.consumerId());
            if (!connected || state == null || settle.session() != session) {
                droppedSettles++;
                LOG.trace("settle of an ended session or consumer dropped conn={} consumer={} tag={}", role,
                        settle.consumerId(), settle.tag());
                continue;
            }
            switch (settle.outcome()) {
                case ACK -> acks.computeIfAbsent(settle.consumerId(), id -> new ArrayList<>()).add(settle.tag());
                case NACK -> out.send(new Nack(settle.consumerId(), settle.tag(), true, settle.delayMillis()));
                case REJECT -> out.send(new Nack(settle.consumerId(), settle.tag(), false, 0));
                default -> throw new IllegalStateException("unknown outcome " + settle.outcome());
            }
        }
        acks.forEach(this::sendAcks);
    }

    /** A settle the socket refuses is lost; the broker hands the delivery out again after its ack timeout. */
    private void sendAcks(long consumerId, List<Long> tags) {
        for (int from = 0; from < tags.size(); from += MAX_TAGS_PER_ACK) {
            int to = Math.min(tags.size(), from + MAX_TAGS_PER_ACK);
            long[] batch = new long[to - from];
            for (int i = from; i < to; i++) {
                batch[i - from] = tags.get(i);
            }
            out.send(new Ack(consumerId, batch));
        }
    }

    /** The broker refused this client: consumers end, REFUSED. */
    void onRefused(String why) {
        refused = why;
        endAll("refused", Reason.REFUSED, " failed: " + why);
    }

    /** The broker took this client after a refusal. */
    void onAccepted() {
        refused = null;
    }

    void onClose() {
        closed = true;
        fromApplication.clear();
        endAll("client closed", Reason.CLOSED, " failed: client closed");
    }

    private void endAll(String reason, Reason why, String detail) {
        List<ConsumerState> left = new ArrayList<>(consumers.values());
        consumers.clear();
        for (ConsumerState state : left) {
            state.handle.onEnded(reason, new CourierException(why, "consume from '" + state.handle.queue() + "'"
                    + detail));
        }
    }

    private void sendConsume(ConsumerState state) {
        state.sent = out.send(state.toWire());
        if (!state.sent) {
            unsentConsumes++;
        }
    }
}
