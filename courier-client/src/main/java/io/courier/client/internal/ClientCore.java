package io.courier.client.internal;

import io.courier.client.Message;
import io.courier.client.internal.PendingOperation.Kind;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Disconnect;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Reply;
import io.courier.protocol.codec.NativeMessage.StatusReply;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol logic of a client connection, as its loop sees it: the {@link PendingTable} of every operation
 * awaiting an answer, which takes each ERROR to the operation it answers; REPLY and STATUS_REPLY for requests;
 * stream commands to its {@link StreamClientCore} and queue commands to its {@link QueueClientCore}. Each event of
 * the connection reaches the table and both cores, in an order that keeps the wire's (a pass's publish batch
 * leaves before the table sends again what never left).
 *
 * <p>Thread-free: confined to the {@code courier-client-N} thread, and driven directly by unit tests with a manual
 * clock.
 */
final class ClientCore implements LoopCore {
    private static final Logger LOG = LoggerFactory.getLogger(ClientCore.class);

    private final String role;
    private final PendingTable table;
    private final StreamClientCore streams;
    private final QueueClientCore queues;

    /** A core with its own table and cores; {@code inFlight} is shared with the handle. */
    ClientCore(String role, Outbox out, LongSupplier clock, InFlightWindow inFlight) {
        this(new PendingTable(role, out, clock, inFlight), out, clock);
    }

    private ClientCore(PendingTable table, Outbox out, LongSupplier clock) {
        this(table, new StreamClientCore(out, clock, table, 5_000), new QueueClientCore(out, table));
    }

    /** With the cores that take the stream commands and the queue commands, both sharing {@code table}. */
    ClientCore(PendingTable table, StreamClientCore streams, QueueClientCore queues) {
        this.role = table.role();
        this.table = table;
        this.streams = streams;
        this.queues = queues;
    }

    PendingTable table() {
        return table;
    }

    StreamClientCore streams() {
        return streams;
    }

    QueueClientCore queues() {
        return queues;
    }

    /** A new request or status query from the handle. */
    void onSubmit(PendingRequest request) {
        table.submit(request);   // if not sent, the next reconnect or the deadline takes care of it
    }

    @Override
    public void onConnected() {
        streams.onConnected();
        table.onConnected();
        queues.onConnected();
    }

    @Override
    public void onWelcome(Headers properties) {
        table.onWelcome(properties);
        streams.onWelcome(properties);
    }

    @Override
    public void onMessage(NativeMessage message) {
        if (message instanceof Reply reply) {
            PendingRequest request = (PendingRequest) table.answered(reply.correlationId(), Kind.REQUEST);
            if (request != null && !request.completeReply(new Message(reply.headers().asMap(), reply.body()))) {
                request.fail(new CourierException(Reason.PROTOCOL, request.operation() + " failed: broker sent REPLY"));
            }
        } else if (message instanceof StatusReply status) {
            PendingRequest request = (PendingRequest) table.answered(status.correlationId(), Kind.REQUEST);
            if (request != null && !request.completeStatus(status.json())) {
                request.fail(new CourierException(Reason.PROTOCOL,
                        request.operation() + " failed: broker sent STATUS_REPLY"));
            }
        } else if (message instanceof ErrorReply error) {
            table.onError(error);
        } else if (!streams.onMessage(message) && !queues.onMessage(message)) {
            LOG.debug("unexpected command from broker conn={} command={}", role, message.command());
        }
    }

    @Override
    public long onTimers(long now) {
        long next = streams.onTimers(now);   // first: the publishes of this pass leave before their deadlines run
        next = Math.min(next, table.onTimers(now));
        return Math.min(next, queues.onTimers(now));
    }

    @Override
    public void onDisconnected() {
        streams.onDisconnected();
        table.onDisconnected();
        queues.onDisconnected();
    }

    /** Tells the broker we are leaving, so it forgets this client now rather than after the liveness window. */
    @Override
    public NativeMessage goodbye() {
        queues.onGoodbye();   // acks and cancels made just before close() still leave, ahead of the DISCONNECT
        return new Disconnect("client closing");
    }

    /** Everything pending fails REFUSED, subscriptions and consumers end, and new work fails until accepted. */
    @Override
    public void onRefused(String why) {
        streams.onRefused(why);
        table.onRefused(why);
        queues.onRefused(why);
    }

    @Override
    public void onAccepted() {
        table.onAccepted();
        streams.onAccepted();
        queues.onAccepted();
    }

    @Override
    public void onClose() {
        streams.onClose();
        table.onClose();
        queues.onClose();
    }
}
