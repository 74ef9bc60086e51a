package io.courier.broker.transport;

import io.courier.broker.metrics.BrokerCounters;
import io.courier.broker.metrics.BrokerMetrics;
import io.courier.broker.stream.SlowPolicy;
import io.courier.broker.stream.Start;
import io.courier.broker.stream.StreamCore;
import io.courier.broker.peer.PeerId;
import io.courier.broker.service.RequestRouter;
import io.courier.broker.security.AccessControl;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
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
import io.courier.protocol.codec.NativeMessage.Heartbeat;
import io.courier.protocol.codec.NativeMessage.Hello;
import io.courier.protocol.codec.NativeMessage.Nack;
import io.courier.protocol.codec.NativeMessage.PubAck;
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
import io.courier.protocol.mdp.MdpCodec;
import io.courier.protocol.mdp.MdpMessage;
import io.courier.protocol.mdp.MdpMessage.ClientRequest;
import io.courier.protocol.mdp.MdpMessage.Version;
import io.courier.protocol.mdp.MdpMessage.WorkerDisconnect;
import io.courier.protocol.mdp.MdpMessage.WorkerHeartbeat;
import io.courier.protocol.mdp.MdpMessage.WorkerReady;
import io.courier.protocol.mdp.MdpMessage.WorkerReply;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that arrives on the frontend ROUTER: checks the limits, tells the three protocols apart (native
 * {@code CRR1}, MDP/0.1, MDP/0.2), keeps the peers it heartbeats, and hands requests and worker traffic to the
 * {@link RequestRouter}. A malformed message is counted and dropped, answered with an error where it can be
 * (a readable correlation id), or answered with a disconnect (a worker breaking the protocol). Confined to the
 * broker loop thread.
 */
final class FrontendHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FrontendHandler.class);
    private static final Heartbeat HEARTBEAT = new Heartbeat();

    private FrontendSettings settings;
    private final RequestRouter router;
    private final StreamCore streams;
    private final StreamSink sink;
    private final RouterOutbox out;
    private final BrokerCounters counters;
    private final BrokerMetrics metrics;
    private final Supplier<String> statusJson;
    private final QueueRoutes queues;
    private final Map<PeerId, Peer> peers = new HashMap<>();
    private final ConnectionLimit limit;
    private AccessGate access;   // null: no access control
    private long nowMillis;
    private long nextHeartbeatAt;

    FrontendHandler(FrontendSettings settings, RequestRouter router, StreamCore streams, StreamSink sink,
                    RouterOutbox out, BrokerCounters counters, BrokerMetrics metrics, Supplier<String> statusJson,
                    QueueRoutes queues) {
        this.settings = settings;
        this.router = router;
        this.streams = streams;
        this.sink = sink;
        this.out = out;
        this.counters = counters;
        this.metrics = metrics;
        this.statusJson = statusJson;
        this.queues = queues;
        this.limit = new ConnectionLimit(metrics);
    }

    /**
     * One message as the ROUTER gave it: the routing id, then the peer's frames. {@code bytes} is the size of the
     * peer's frames together.
     */
    void onMessage(byte[][] frames, long bytes, long now) {
        onMessage(frames, bytes, null, now);
    }

    /**
     * One message as the ROUTER gave it, with the ZAP User-Id of its connection ({@code null} without one), which
     * access control knows the sender by.
     */
    void onMessage(byte[][] frames, long bytes, String userId, long now) {
        nowMillis = now;
        PeerId id = new PeerId(frames[0]);
        byte[][] f = new byte[frames.length - 1][];
        System.arraycopy(frames, 1, f, 0, f.length);
        if (f.length == 0) {
            malformed(id, "empty", "no frames");
            return;
        }
        if (f.length > settings.maxFrames()) {
            malformed(id, "too_many_frames", f.length + " frames, the most allowed is " + settings.maxFrames());
            return;
        }
        if (bytes > settings.maxMessageBytes()) {
            malformed(id, "too_large", bytes + " bytes, the most allowed is " + settings.maxMessageBytes());
            if (NativeCodec.isNative(f[0]) && NativeCodec.hasCorrelationId(f)) {
                out.send(id, new ErrorReply(NativeCodec.correlationId(f), ErrorCode.TOO_LARGE, "message of " + bytes
                        + " bytes is over the broker's limit of " + settings.maxMessageBytes()));
            }
            return;
        }
        if (NativeCodec.isNative(f[0])) {
            onNative(id, f, AccessControl.keyOf(userId));
        } else if (MdpCodec.isMajordomo(f)) {
            onMajordomo(id, f, AccessControl.keyOf(userId));
        } else {
            malformed(id, "unknown_protocol", "not CRR1, MDPC01/MDPW01 or MDPC02/MDPW02");
        }
    }

    private void onNative(PeerId id, byte[][] f, String key) {
        if (Batches.isBatch(f)) {
            onBatch(id, f, key);
            return;
        }
        NativeMessage message;
        try {
            message = NativeCodec.decode(f);
        } catch (ProtocolException e) {
            malformed(id, "bad_frames", e.getMessage());
            if (NativeCodec.hasCorrelationId(f)) {
                out.send(id, new ErrorReply(NativeCodec.correlationId(f), ErrorCode.PROTOCOL, "malformed request: "
                        + e.getMessage()));
            }
            return;
        }
        Peer peer = peers.get(id);
        if (peer != null) {
            peer.lastHeardMillis = nowMillis;
        } else if (ConnectionLimit.tracks(message.command()) && peers.size() >= settings.maxConnections()) {
            limit.onRefused(id, settings.maxConnections());   // one too many: not tracked, nothing done
            disconnect(id, ConnectionLimit.reason(settings.maxConnections()));
            return;
        }
        if (access != null && !access.admit(id, key, message)) {
            return;   // refused, and answered
        }
        switch (message.command()) {
            case HELLO -> onHello(id, peer, (Hello) message);
            case REQUEST -> {
                Request r = (Request) message;
                known(id, peer);
                router.onRequest(r.service(), r.timeoutMillis(), r.headers(), new byte[][] {r.body()},
                        new NativeRoutes.ToClient(out, id, r.correlationId()));
            }
            case HEARTBEAT -> {
                if (peer == null) {
                    disconnect(id, "unknown peer: send HELLO first");
                }
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
            case DISCONNECT -> forget(id, "said disconnect: " + ((Disconnect) message).reason());
            case STATUS -> out.send(id, new StatusReply(((Status) message).correlationId(), statusJson.get()));
            case PUBLISH -> onPublish(id, (Publish) message);
            case PUBLISH_BATCH -> BatchPublishing.onPublishBatch(id, (PublishBatch) message, streams, sink, out);
            case SUBSCRIBE -> {
                known(id, peer);
                Subscribe sub = (Subscribe) message;
                streams.subscribe(id, sub.subscriptionId(), sub.prefix(), Start.valueOf(sub.start().name()),
                        sub.startValue(), SlowPolicy.valueOf(sub.policy().name()), sub.resume());
            }
            case UNSUBSCRIBE -> streams.unsubscribe(id, ((Unsubscribe) message).subscriptionId());
            case REPLAY -> {
                Replay r = (Replay) message;
                streams.replay(id, r.subscriptionId(), r.topic(), r.fromSeq(), r.toSeq());
            }
            case ENQUEUE, CONSUME, ACK, NACK, CANCEL, QUEUE_ADMIN -> onQueueCommand(id, peer, message);
            default -> malformed(id, "unexpected_command", message.command() + " is not sent to a broker");
        }
    }

    /**
     * A BATCH (section 4.14): each message in it is handled as if it had come alone, in order, and one that is
     * malformed is counted and dropped without taking the others with it.
     */
    private void onBatch(PeerId id, byte[][] f, String key) {
        Batches.deliver(f, settings.maxFrames(), new Batches.Receiver() {
            @Override
            public void onMessage(byte[][] frames) {
                onNative(id, frames, key);
            }

            @Override
            public void onMalformed(String reason, String detail) {
                malformed(id, reason, detail);
            }
        });
    }

    /** Durable-queue commands (section 10); ENQUEUE and CONSUME track the peer, QUEUE_ADMIN does not. */
    private void onQueueCommand(PeerId id, Peer peer, NativeMessage message) {
        switch (message.command()) {
            case ENQUEUE -> {
                known(id, peer);
                queues.onEnqueue(id, (Enqueue) message);
            }
            case CONSUME -> {
                known(id, peer);
                queues.onConsume(id, (Consume) message);
            }
            case ACK -> queues.onAck(id, (Ack) message);
            case NACK -> queues.onNack(id, (Nack) message);
            case CANCEL -> queues.onCancel(id, (Cancel) message);
            default -> queues.onAdmin(id, (QueueAdmin) message);
        }
    }

    private void onPublish(PeerId id, Publish publish) {
        long seq = streams.publish(publish.topic(), publish.headers(), new byte[][] {publish.body()});
        if (seq == StreamCore.REFUSED) {
            if (publish.correlationId() != 0) {
                out.send(id, new ErrorReply(publish.correlationId(), ErrorCode.QUEUE_FULL,
                        "publish to '" + publish.topic() + "' refused: the broker holds the most streams it may"));
            }
            return;
        }
        sink.toPlainSubscribers(publish.topic().getBytes(StandardCharsets.UTF_8), publish.body());
        if (publish.correlationId() != 0) {
            out.send(id, new PubAck(publish.correlationId(), publish.topic(), seq));
        }
    }

    private void onHello(PeerId id, Peer known, Hello hello) {
        if (known != null && known.worker) {
            forget(id, "said hello again");
        }
        Peer peer = known(id, peers.get(id));
        String name = hello.properties().get("name");
        peer.name = name == null ? "" : name;
        sink.onHello(id, StreamBatches.accepted(hello.properties().get(StreamBatches.PROPERTY)));
        out.onHello(id, Batches.accepted(hello.properties().get(Batches.PROPERTY)));
        out.send(id, new Welcome(settings.welcome()));
        metrics.onSession();
        LOG.debug("peer said hello peer={} name={}", id, peer.name);
    }

    private void onReady(PeerId id, Peer known, Ready ready) {
        Peer peer = known(id, known);
        String name = ready.properties().get("name");
        if (name != null && !name.isEmpty()) {
            peer.name = name;
        }
        if (!router.onReady(id, new NativeRoutes.ToWorker(out, id), ready.service(), ready.capacity(), peer.name)) {
            malformed(id, "bad_ready", "READY from a registered worker, or for a reserved name");
            disconnect(id, "READY refused: already registered, or the service name is reserved (mmi.*)");
            forget(id, "ready refused");
            return;
        }
        peer.worker = true;
    }

    private void onMajordomo(PeerId id, byte[][] f, String key) {
        MdpMessage message;
        try {
            message = MdpCodec.decode(f);
        } catch (ProtocolException e) {
            malformed(id, "bad_frames", e.getMessage());
            Version worker = workerVersion(f);
            if (worker != null) {   // RFC 7: a worker that breaks the protocol is disconnected
                out.send(id, MdpCodec.workerDisconnect(worker));
                forget(id, "broke the protocol: " + e.getMessage());
            }
            return;
        }
        Peer peer = peers.get(id);
        if (peer != null) {
            peer.lastHeardMillis = nowMillis;
        }
        if (access != null && !access.admit(id, key, message)) {
            return;   // refused
        }
        if (message instanceof ClientRequest request) {
            router.onRequest(request.service(), 0, Headers.EMPTY, request.body(),
                    new MajordomoRoutes.ToClient(out, id, request.version(), request.service()));
        } else if (message instanceof WorkerReady ready) {
            onMajordomoReady(id, peer, ready);
        } else if (message instanceof WorkerReply reply) {
            onMajordomoReply(id, reply);
        } else if (message instanceof WorkerHeartbeat heartbeat) {
            if (peer == null || !peer.worker) {   // RFC 7: a heartbeat from a worker that is not ready
                out.send(id, MdpCodec.workerDisconnect(heartbeat.version()));
            }
        } else if (message instanceof WorkerDisconnect) {
            forget(id, "said disconnect");
        }
    }

    private void onMajordomoReady(PeerId id, Peer known, WorkerReady ready) {
        if (known != null) {
            malformed(id, "bad_ready", "READY from a registered worker");
            out.send(id, MdpCodec.workerDisconnect(ready.version()));
            forget(id, "ready twice");
            return;
        }
        if (peers.size() >= settings.maxConnections()) {
            limit.onRefused(id, settings.maxConnections());   // one too many: not registered, nothing done
            out.send(id, MdpCodec.workerDisconnect(ready.version()));
            return;
        }
        Peer peer = new Peer(id, ready.version(), nowMillis);
        peer.name = ready.version().label() + "-worker";
        if (!router.onReady(id, new MajordomoRoutes.ToWorker(out, id, ready.version()), ready.service(), 1,
                peer.name)) {
            malformed(id, "bad_ready", "READY for a reserved name");
            out.send(id, MdpCodec.workerDisconnect(ready.version()));
            return;
        }
        peer.worker = true;
        peers.put(id, peer);
        counters.connections(peers.size());
        metrics.onConnections(peers.size());
    }

    private void onMajordomoReply(PeerId id, WorkerReply reply) {
        if (reply.address().length != 8) {
            malformed(id, "bad_frames", "reply address is not a job id this broker gave");
            return;
        }
        long jobId = NativeCodec.u64(reply.address(), "job id");
        boolean known = reply.partial() ? router.onPartial(id, jobId, reply.body())
                : router.onDone(id, jobId, Headers.EMPTY, reply.body());
        if (!known) {
            malformed(id, "unknown_worker", "reply from a peer that is not a registered worker");
            out.send(id, MdpCodec.workerDisconnect(reply.version()));
        }
    }

    /**
     * Heartbeats: every interval, drops the peers silent for the whole liveness window (a worker's jobs go to
     * other workers) and sends a heartbeat to the rest. Returns when it next needs to run.
     */
    long onTimers(long now) {
        nowMillis = now;
        if (now < nextHeartbeatAt) {
            return nextHeartbeatAt;
        }
        long expiry = settings.heartbeatMillis() * settings.liveness();
        Iterator<Peer> it = peers.values().iterator();
        while (it.hasNext()) {
            Peer peer = it.next();
            if (now - peer.lastHeardMillis > expiry) {
                it.remove();
                metrics.onHeartbeatExpired(peer.role());
                LOG.info("peer expired peer={} role={} name={} silentMs={}", peer.id, peer.role(), peer.name,
                        now - peer.lastHeardMillis);
                out.forget(peer.id);
                streams.onPeerGone(peer.id);
                queues.onPeerGone(peer.id);
                if (peer.worker) {
                    router.onWorkerGone(peer.id, "silent for " + (now - peer.lastHeardMillis) + "ms");
                }
            } else if (peer.majordomo != null) {
                out.send(peer.id, MdpCodec.workerHeartbeat(peer.majordomo));
            } else {
                out.send(peer.id, HEARTBEAT);
            }
        }
        counters.connections(peers.size());
        metrics.onConnections(peers.size());
        nextHeartbeatAt = now + settings.heartbeatMillis();
        return nextHeartbeatAt;
    }

    /** Checks every command against access rules from now on; null: none. */
    void setAccess(AccessGate gate) {
        access = gate;
    }

    /**
     * New limits and heartbeat settings, live; the WELCOME of peers that say HELLO from now on carries them. A lower
     * {@code maxConnections} refuses new peers and keeps those tracked now.
     */
    void onSettings(FrontendSettings value) {
        settings = value;
        nextHeartbeatAt = 0;
    }

    /** Native peers that are not workers: the connected Courier clients. */
    int clients() {
        int n = 0;
        for (Peer peer : peers.values()) {
            if (!peer.worker && peer.majordomo == null) {
                n++;
            }
        }
        return n;
    }

    /**
     * Tells every native client the broker is going away, so it notices at once instead of after its liveness
     * window, and starts reconnecting (with its backoff, along its endpoint list).
     */
    void onClose() {
        for (Peer peer : peers.values()) {
            if (peer.majordomo == null && !peer.worker) {
                out.send(peer.id, new Disconnect("broker shutting down"));
            }
        }
        peers.clear();
        counters.connections(0);
    }

    private Peer known(PeerId id, Peer peer) {
        if (peer != null) {
            return peer;
        }
        Peer fresh = new Peer(id, null, nowMillis);
        peers.put(id, fresh);
        counters.connections(peers.size());
        metrics.onConnections(peers.size());
        return fresh;
    }

    private void forget(PeerId id, String cause) {
        out.forget(id);
        streams.onPeerGone(id);
        queues.onPeerGone(id);
        Peer peer = peers.remove(id);
        if (peer != null) {
            counters.connections(peers.size());
            metrics.onConnections(peers.size());
            LOG.debug("peer left peer={} role={} cause={}", id, peer.role(), cause);
        }
        router.onWorkerGone(id, cause);
    }

    private void unknownWorker(PeerId id, String command) {
        malformed(id, "unknown_worker", command + " from a peer that is not a registered worker");
        disconnect(id, "unknown worker: send READY before " + command);
    }

    private void disconnect(PeerId id, String reason) {
        out.send(id, new Disconnect(reason));
    }

    private void malformed(PeerId id, String reason, String detail) {
        long count = counters.malformedMessage();
        metrics.onMalformed(reason);
        if (Long.bitCount(count) == 1) {   // 1st, 2nd, 4th, 8th...: visible, never a flood
            LOG.warn("malformed message dropped peer={} reason={} detail={} total={}", id, reason, detail, count);
        } else {
            LOG.debug("malformed message dropped peer={} reason={} detail={} total={}", id, reason, detail, count);
        }
    }

    private static Version workerVersion(byte[][] f) {
        if (f.length >= 2 && f[0].length == 0 && "MDPW01".equals(ascii(f[1]))) {
            return Version.V01;
        }
        return f.length >= 1 && "MDPW02".equals(ascii(f[0])) ? Version.V02 : null;
    }

    private static String ascii(byte[] frame) {
        return frame.length == 6 ? new String(frame, StandardCharsets.US_ASCII) : "";
    }
}
