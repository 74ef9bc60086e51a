package io.courier.broker.transport;

import io.courier.broker.peer.Peer;
import io.courier.broker.peer.PeerId;
import io.courier.broker.peer.PeerTable;
import io.courier.broker.service.RequestRouter;
import io.courier.protocol.Headers;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.mdp.MdpCodec;
import io.courier.protocol.mdp.MdpMessage;
import io.courier.protocol.mdp.MdpMessage.ClientRequest;
import io.courier.protocol.mdp.MdpMessage.Version;
import io.courier.protocol.mdp.MdpMessage.WorkerDisconnect;
import io.courier.protocol.mdp.MdpMessage.WorkerHeartbeat;
import io.courier.protocol.mdp.MdpMessage.WorkerReady;
import io.courier.protocol.mdp.MdpMessage.WorkerReply;
import java.nio.charset.StandardCharsets;

/**
 * Majordomo on the frontend (MDP/0.1, RFC 7; MDP/0.2, RFC 18): client requests go to the {@link RequestRouter}
 * with a {@link MajordomoRoutes.ToClient} for the answer; a worker is tracked in the {@link PeerTable} from its
 * READY (within {@code limits.maxConnections}) and its replies finish its jobs. As RFC 7 asks, a worker that breaks
 * the protocol, or sends a heartbeat or a reply without being ready, is answered with DISCONNECT. Majordomo clients
 * are not tracked. Confined to the broker loop thread.
 */
final class MajordomoFrontend {
    private final PeerTable peers;
    private final PeerDepartures departures;
    private final RequestRouter router;
    private final RouterOutbox out;
    private final MalformedMessages malformed;
    private AccessGate access;   // null: no access control

    MajordomoFrontend(PeerTable peers, PeerDepartures departures, RequestRouter router, RouterOutbox out,
                      MalformedMessages malformed) {
        this.peers = peers;
        this.departures = departures;
        this.router = router;
        this.out = out;
        this.malformed = malformed;
    }

    /** Checks every message against access rules from now on; null: none. */
    void setAccess(AccessGate gate) {
        access = gate;
    }

    /** A Majordomo message: {@code f} without the routing id; {@code key} the sender's access key. */
    void onMessage(PeerId id, byte[][] f, String key, long now) {
        MdpMessage message;
        try {
            message = MdpCodec.decode(f);
        } catch (ProtocolException e) {
            malformed.dropped(id, "bad_frames", e.getMessage());
            Version worker = workerVersion(f);
            if (worker != null) {   // RFC 7: a worker that breaks the protocol is disconnected
                out.send(id, MdpCodec.workerDisconnect(worker));
                departures.forget(id, "broke the protocol: " + e.getMessage());
            }
            return;
        }
        Peer peer = peers.heard(id, now);
        if (access != null && !access.admit(id, key, message)) {
            return;   // refused
        }
        if (message instanceof ClientRequest request) {
            router.onRequest(request.service(), 0, Headers.EMPTY, request.body(),
                    new MajordomoRoutes.ToClient(out, id, request.version(), request.service()));
        } else if (message instanceof WorkerReady ready) {
            onReady(id, peer, ready, now);
        } else if (message instanceof WorkerReply reply) {
            onReply(id, reply);
        } else if (message instanceof WorkerHeartbeat heartbeat) {
            if (peer == null || !peer.isWorker()) {   // RFC 7: a heartbeat from a worker that is not ready
                out.send(id, MdpCodec.workerDisconnect(heartbeat.version()));
            }
        } else if (message instanceof WorkerDisconnect) {
            departures.forget(id, "said disconnect");
        }
    }

    private void onReady(PeerId id, Peer known, WorkerReady ready, long now) {
        if (known != null) {
            malformed.dropped(id, "bad_ready", "READY from a registered worker");
            out.send(id, MdpCodec.workerDisconnect(ready.version()));
            departures.forget(id, "ready twice");
            return;
        }
        if (peers.isFull()) {
            peers.refuse(id);   // one too many: not registered, nothing done
            out.send(id, MdpCodec.workerDisconnect(ready.version()));
            return;
        }
        Peer peer = new Peer(id, ready.version(), now);
        peer.name(ready.version().label() + "-worker");
        if (!router.onReady(id, new MajordomoRoutes.ToWorker(out, id, ready.version()), ready.service(), 1,
                peer.name())) {
            malformed.dropped(id, "bad_ready", "READY for a reserved name");
            out.send(id, MdpCodec.workerDisconnect(ready.version()));
            return;
        }
        peer.markWorker();
        peers.add(peer);
    }

    private void onReply(PeerId id, WorkerReply reply) {
        if (reply.address().length != 8) {
            malformed.dropped(id, "bad_frames", "reply address is not a job id this broker gave");
            return;
        }
        long jobId = NativeCodec.u64(reply.address(), "job id");
        boolean known = reply.partial() ? router.onPartial(id, jobId, reply.body())
                : router.onDone(id, jobId, Headers.EMPTY, reply.body());
        if (!known) {
            malformed.dropped(id, "unknown_worker", "reply from a peer that is not a registered worker");
            out.send(id, MdpCodec.workerDisconnect(reply.version()));
        }
    }

    /** The Majordomo version of a message that looks like a worker's, or null: who may be told DISCONNECT. */
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
