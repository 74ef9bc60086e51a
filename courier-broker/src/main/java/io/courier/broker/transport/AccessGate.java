package io.courier.broker.transport;

import io.courier.broker.peer.PeerId;
import io.courier.broker.security.AccessControl;
import io.courier.broker.security.AccessOperation;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Consume;
import io.courier.protocol.codec.NativeMessage.Cancelled;
import io.courier.protocol.codec.NativeMessage.Disconnect;
import io.courier.protocol.codec.NativeMessage.Enqueue;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Publish;
import io.courier.protocol.codec.NativeMessage.PublishBatch;
import io.courier.protocol.codec.NativeMessage.QueueAdmin;
import io.courier.protocol.codec.NativeMessage.Ready;
import io.courier.protocol.codec.NativeMessage.Request;
import io.courier.protocol.codec.NativeMessage.Status;
import io.courier.protocol.codec.NativeMessage.Subscribe;
import io.courier.protocol.codec.NativeMessage.Unsubscribed;
import io.courier.protocol.mdp.MdpCodec;
import io.courier.protocol.mdp.MdpMessage;
import io.courier.protocol.mdp.MdpMessage.ClientRequest;
import io.courier.protocol.mdp.MdpMessage.WorkerReady;

/**
 * Access control at the frontend, before a command has any effect: checks the operations a message asks for
 * against the sender's key, and answers a refused one as its command is answered when it fails (ERROR 403 where
 * there is a correlation id, UNSUBSCRIBED, CANCELLED, DISCONNECT), so a client learns of it at once. What follows
 * a command a client was allowed (DONE, ACK, UNSUBSCRIBE, REPLAY within a subscription...) is not checked again.
 * Confined to the broker loop thread.
 */
final class AccessGate {
    /** The name STATUS is checked under, for the {@code admin} operation. */
    static final String STATUS = "status";

    private final AccessControl control;
    private final RouterOutbox out;

    AccessGate(AccessControl control, RouterOutbox out) {
        this.control = control;
        this.out = out;
    }

    /** True when the native {@code message} from {@code key} may go on; false when refused (and answered). */
    boolean admit(PeerId id, String key, NativeMessage message) {
        if (!control.active()) {
            return true;
        }
        switch (message.command()) {
            case REQUEST -> {
                Request r = (Request) message;
                return allowed(id, r.correlationId(), key, AccessOperation.CALL, r.service());
            }
            case READY -> {
                String refused = control.refusal(key, AccessOperation.SERVE, ((Ready) message).service());
                if (refused != null) {
                    out.send(id, new Disconnect("READY refused: " + refused));
                }
                return refused == null;
            }
            case PUBLISH -> {
                Publish p = (Publish) message;
                return allowed(id, p.correlationId(), key, AccessOperation.PUBLISH, p.topic());
            }
            case PUBLISH_BATCH -> {
                PublishBatch batch = (PublishBatch) message;
                for (PublishBatch.Entry entry : batch.entries()) {
                    if (!allowed(id, batch.correlationId(), key, AccessOperation.PUBLISH, entry.topic())) {
                        return false;   // the whole batch: nothing of it is published
                    }
                }
                return true;
            }
            case SUBSCRIBE -> {
                Subscribe s = (Subscribe) message;
                String refused = control.refusal(key, AccessOperation.SUBSCRIBE, s.prefix());
                if (refused != null) {
                    out.send(id, new Unsubscribed(s.subscriptionId(), refused));
                }
                return refused == null;
            }
            default -> {
                return admitQueueOrAdmin(id, key, message);
            }
        }
    }

    private boolean admitQueueOrAdmin(PeerId id, String key, NativeMessage message) {
        switch (message.command()) {
            case ENQUEUE -> {
                Enqueue e = (Enqueue) message;
                return allowed(id, e.correlationId(), key, AccessOperation.PRODUCE, e.queue());
            }
            case CONSUME -> {
                Consume c = (Consume) message;
                String refused = control.refusal(key, AccessOperation.CONSUME, c.queue());
                if (refused != null) {
                    out.send(id, new Cancelled(c.consumerId(), refused));
                }
                return refused == null;
            }
            case QUEUE_ADMIN -> {
                QueueAdmin q = (QueueAdmin) message;
                return allowed(id, q.correlationId(), key, AccessOperation.ADMIN, q.queue());
            }
            case STATUS -> {
                return allowed(id, ((Status) message).correlationId(), key, AccessOperation.ADMIN, STATUS);
            }
            default -> {
                return true;
            }
        }
    }

    /**
     * True when the Majordomo {@code message} from {@code key} may go on. A refused worker READY is answered with
     * DISCONNECT; a refused client request gets no answer, Majordomo having no error reply (the client's own
     * timeout tells it), but is counted and logged like every refusal.
     */
    boolean admit(PeerId id, String key, MdpMessage message) {
        if (!control.active()) {
            return true;
        }
        if (message instanceof ClientRequest request) {
            return control.refusal(key, AccessOperation.CALL, request.service()) == null;
        }
        if (message instanceof WorkerReady ready) {
            if (control.refusal(key, AccessOperation.SERVE, ready.service()) != null) {
                out.send(id, MdpCodec.workerDisconnect(ready.version()));
                return false;
            }
        }
        return true;
    }

    /**
     * Checks one operation of a command with a correlation id; a refusal is answered ERROR 403 with it. A publish
     * sent without asking for a confirmation (id 0) is answered too, with id 0: the client reports it to its
     * error listener, if it can, and nothing is published either way.
     */
    private boolean allowed(PeerId id, long correlationId, String key, AccessOperation op, String name) {
        String refused = control.refusal(key, op, name);
        if (refused == null) {
            return true;
        }
        out.send(id, new ErrorReply(correlationId, ErrorCode.REFUSED, refused));
        return false;
    }
}
