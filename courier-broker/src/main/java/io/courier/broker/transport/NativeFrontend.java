package io.courier.broker.transport;

import io.courier.broker.metrics.BrokerMetrics;
import io.courier.broker.peer.Peer;
import io.courier.broker.peer.PeerId;
import io.courier.broker.peer.PeerTable;
import io.courier.broker.service.RequestRouter;
import io.courier.protocol.Command;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.codec.Batches;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Ack;
import io.courier.protocol.codec.NativeMessage.Cancel;
import io.courier.protocol.codec.NativeMessage.Consume;
import io.courier.protocol.codec.NativeMessage.Disconnect;
import io.courier.protocol.codec.NativeMessage.Done;
import io.courier.protocol.codec.NativeMessage.Enqueue;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Fail;
import io.courier.protocol.codec.NativeMessage.Hello;
import io.courier.protocol.codec.NativeMessage.Nack;
import io.courier.protocol.codec.NativeMessage.Publish;
import io.courier.protocol.codec.NativeMessage.PublishBatch;
import io.courier.protocol.codec.NativeMessage.QueueAdmin;
import io.courier.protocol.codec.NativeMessage.Ready;
import io.courier.protocol.codec.NativeMessage.Replay;
import io.courier.protocol.codec.NativeMessage.Request;
import io.courier.protocol.codec.NativeMessage.Status;
import io.courier.protocol.codec.NativeMessage.StatusReply;
import io.courier.protocol.codec.NativeMessage.Subscribe;
import io.courier.protocol.codec.NativeMessage.Unsubscribe;
import io.courier.protocol.codec.NativeMessage.Welcome;
import io.courier.protocol.codec.StreamBatches;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Courier's native protocol ({@code CRR1}, docs/protocol.md) on the frontend. A BATCH is unpacked and each message
 * in it handled as if it had come alone; a message that does not decode is counted and dropped, answered PROTOCOL
 * where its correlation id is readable. Then, in order: the peer is heard; a peer not tracked yet whose command
 * would track it is refused past {@code limits.maxConnections}; access control; the commands after which the
 * broker tracks their sender ({@link #tracks}) track it. Session commands (HELLO, HEARTBEAT, DISCONNECT), requests,
 * worker commands (READY, DONE, FAIL) and STATUS are handled here; stream commands go to the
 * {@link StreamFrontend}, durable-queue commands (QUEUE_ADMIN among them) to the {@link QueueRoutes}. Confined to
 * the broker loop thread.
 */
final class NativeFrontend {
    private static final Logger LOG = LoggerFactory.getLogger(NativeFrontend.class);

    private final PeerTable peers;
    private final PeerDepartures departures;
    private final RequestRouter router;
    private final StreamFrontend streams;
    private final QueueRoutes queues;
    private final SubscriberSender sink;
    private final RouterOutbox out;
    private final MalformedMessages malformed;
    private final BrokerMetrics metrics;
    private final Supplier<String> statusJson;
    private FrontendSettings settings;
    private AccessGate access;   // null: no access control

    NativeFrontend(FrontendSettings settings, PeerTable peers, PeerDepartures departures, RequestRouter router,
                   StreamFrontend streams, QueueRoutes queues, SubscriberSender sink, RouterOutbox out,
                   MalformedMessages malformed, BrokerMetrics metrics, Supplier<String> statusJson) {
        this.settings = settings;
        this.peers = peers;
        this.departures = departures;
        this.router = router;
        this.streams = streams;
        this.queues = queues;
        this.sink = sink;
        this.out = out;
        this.malformed = malformed;
        this.metrics = metrics;
        this.statusJson = statusJson;
    }

    /** New limits and WELCOME properties, live. */
    void onSettings(FrontendSettings value) {
        settings = value;
    }

    /** Checks every command against access rules from now on; null: none. */
    void setAccess(AccessGate gate) {
        access = gate;
    }

    /** The native commands after which the broker tracks their sender (and which {@code maxConnections} caps). */
    static boolean tracks(Command command) {
        return switch (command) {
            case HELLO, REQUEST, READY, SUBSCRIBE, ENQUEUE, CONSUME -> true;
            default -> false;
        };
    }

    /** A native message or BATCH: {@code f} without the routing id; {@code key} the sender's access key. */
    void onMessage(PeerId id, byte[][] f, String key, long now) {
        if (Batches.isBatch(f)) {
            onBatch(id, f, key, now);
            return;
        }
        NativeMessage message;
        try {
            message = NativeCodec.decode(f);
        } catch (ProtocolException e) {
            malformed.dropped(id, "bad_frames", e.getMessage());
            if (NativeCodec.hasCorrelationId(f)) {
                out.send(id, new ErrorReply(NativeCodec.correlationId(f), ErrorCode.PROTOCOL, "malformed request: "
                        + e.getMessage()));
            }
            return;
        }
        Command command = message.command();
        Peer peer = peers.heard(id, now);
        if (peer == null && tracks(command) && peers.isFull()) {
            peers.refuse(id);   // one too many: not tracked, nothing done
            disconnect(id, "too many connections (limits.maxConnections=" + peers.maxConnections() + ")");
            return;
        }
        if (access != null && !access.admit(id, key, message)) {
            return;   // refused, and answered
        }
        if (command == Command.HELLO && peer != null && peer.isWorker()) {
            departures.forget(id, "said hello again");   // a new session: the worker's registration ends
            peer = null;
        }
        if (tracks(command)) {
            peer = peers.track(id, now);
        }
        dispatch(id, peer, message);
    }

    /**
     * A BATCH (section 4.14): each message in it is handled as if it had come alone, in order, and one that is
     * malformed is counted and dropped without taking the others with it.
     */
    private void onBatch(PeerId id, byte[][] f, String key, long now) {
        Batches.deliver(f, settings.maxFrames(), new Batches.Receiver() {
            @Override
            public void onMessage(byte[][] frames) {
                NativeFrontend.this.onMessage(id, frames, key, now);
            }

            @Override
            public void onMalformed(String reason, String detail) {
                malformed.dropped(id, reason, detail);
            }
        });
    }

    /** Where each command goes; {@code peer} is null for a sender the table does not track. */
    private void dispatch(PeerId id, Peer peer, NativeMessage message) {
        switch (message.command()) {
            case HELLO -> onHello(id, peer, (Hello) message);
            case HEARTBEAT -> {
                if (peer == null) {
                    disconnect(id, "unknown peer: send HELLO first");
                }
            }
            case DISCONNECT -> departures.forget(id, "said disconnect: " + ((Disconnect) message).reason());
            case STATUS -> out.send(id, new StatusReply(((Status) message).correlationId(), statusJson.get()));
            case REQUEST -> {
                Request r = (Request) message;
                router.onRequest(r.service(), r.timeoutMillis(), r.headers(), new byte[][] {r.body()},
                        new NativeRoutes.ToClient(out, id, r.correlationId()));
            }
            case READY -> onReady(id, peer, (Ready) message);
            case DONE -> {
                Done d = (Done) message;
                if (!router.onDone(id, d.jobId(), d.headers(), new byte[][] {d.body()})) {
                    unknownWorker(id, "DONE");
                }
            }
            case FAIL -> {
                Fail fail = (Fail) message;
                if (!router.onFail(id, fail.jobId(), fail.code(), fail.reason())) {
                    unknownWorker(id, "FAIL");
                }
            }
            case PUBLISH -> streams.onPublish(id, (Publish) message);
            case PUBLISH_BATCH -> streams.onPublishBatch(id, (PublishBatch) message);
            case SUBSCRIBE -> streams.onSubscribe(id, (Subscribe) message);
            case UNSUBSCRIBE -> streams.onUnsubscribe(id, (Unsubscribe) message);
            case REPLAY -> streams.onReplay(id, (Replay) message);
            case ENQUEUE -> queues.onEnqueue(id, (Enqueue) message);
            case CONSUME -> queues.onConsume(id, (Consume) message);
            case ACK -> queues.onAck(id, (Ack) message);
            case NACK -> queues.onNack(id, (Nack) message);
            case CANCEL -> queues.onCancel(id, (Cancel) message);
            case QUEUE_ADMIN -> queues.onAdmin(id, (QueueAdmin) message);
            default -> malformed.dropped(id, "unexpected_command", message.command() + " is not sent to a broker");
        }
    }

    /** HELLO opens a session: the peer's name, whether it takes EVENT_BATCH and BATCH; answered WELCOME. */
    private void onHello(PeerId id, Peer peer, Hello hello) {
        String name = hello.properties().get("name");
        peer.name(name == null ? "" : name);
        sink.onHello(id, StreamBatches.accepted(hello.properties().get(StreamBatches.PROPERTY)));
        out.onHello(id, Batches.accepted(hello.properties().get(Batches.PROPERTY)));
        out.send(id, new Welcome(settings.welcome()));
        metrics.onSession();
        LOG.debug("peer said hello peer={} name={}", id, peer.name());
    }

    /** READY registers a worker with the router; a refused one is disconnected and forgotten. */
    private void onReady(PeerId id, Peer peer, Ready ready) {
        String name = ready.properties().get("name");
        if (name != null && !name.isEmpty()) {
            peer.name(name);
        }
        if (!router.onReady(id, new NativeRoutes.ToWorker(out, id), ready.service(), ready.capacity(), peer.name())) {
            malformed.dropped(id, "bad_ready", "READY from a registered worker, or for a reserved name");
            disconnect(id, "READY refused: already registered, or the service name is reserved (mmi.*)");
            departures.forget(id, "ready refused");
            return;
        }
        peer.markWorker();
    }

    private void unknownWorker(PeerId id, String command) {
        malformed.dropped(id, "unknown_worker", command + " from a peer that is not a registered worker");
        disconnect(id, "unknown worker: send READY before " + command);
    }

    private void disconnect(PeerId id, String reason) {
        out.send(id, new Disconnect(reason));
    }
}
