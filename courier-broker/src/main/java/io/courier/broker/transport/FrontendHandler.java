package io.courier.broker.transport;

import io.courier.broker.metrics.BrokerCounters;
import io.courier.broker.metrics.BrokerMetrics;
import io.courier.broker.peer.Peer;
import io.courier.broker.peer.PeerId;
import io.courier.broker.peer.PeerTable;
import io.courier.broker.security.AccessControl;
import io.courier.broker.service.RequestRouter;
import io.courier.broker.stream.StreamCore;
import io.courier.protocol.codec.NativeMessage.Disconnect;
import io.courier.protocol.codec.NativeMessage.Heartbeat;
import io.courier.protocol.mdp.MdpCodec;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Everything that arrives on the frontend ROUTER, dispatched: the {@link ProtocolSniffer} checks the limits and
 * tells the protocols apart, then the {@link NativeFrontend} (which hands stream commands to the
 * {@link StreamFrontend} and queue commands to the {@link QueueRoutes}) or the {@link MajordomoFrontend} takes the
 * message. The peers it heartbeats are kept in a {@link PeerTable}; a peer that goes is let go of everywhere by
 * {@link PeerDepartures}. A malformed message is counted and dropped ({@link MalformedMessages}), answered with an
 * error where it can be, or with a disconnect (a worker breaking the protocol). Confined to the broker loop thread.
 */
final class FrontendHandler {
    private static final Heartbeat HEARTBEAT = new Heartbeat();

    private final RouterOutbox out;
    private final BrokerCounters counters;
    private final PeerTable peers;
    private final ProtocolSniffer sniffer;
    private final NativeFrontend natives;
    private final MajordomoFrontend majordomo;
    private final PeerTable.HeartbeatRound heartbeats;

    FrontendHandler(FrontendSettings settings, RequestRouter router, StreamCore streams, SubscriberSender sink,
                    RouterOutbox out, BrokerCounters counters, BrokerMetrics metrics, Supplier<String> statusJson,
                    QueueRoutes queues) {
        this.out = out;
        this.counters = counters;
        this.peers = new PeerTable(settings.maxConnections(), settings.heartbeatMillis(), settings.liveness(),
                new PeerTable.Listener() {
                    @Override
                    public void onCount(int count) {
                        counters.connections(count);
                        metrics.onConnections(count);
                    }

                    @Override
                    public void onRefused() {
                        metrics.onConnectionRefused();
                    }
                });
        MalformedMessages malformed = new MalformedMessages(counters, metrics);
        PeerDepartures departures = new PeerDepartures(peers, out, streams, queues, router, metrics);
        this.sniffer = new ProtocolSniffer(settings, out, malformed);
        this.natives = new NativeFrontend(settings, peers, departures, router, new StreamFrontend(streams, sink, out),
                queues, sink, out, malformed, metrics, statusJson);
        this.majordomo = new MajordomoFrontend(peers, departures, router, out, malformed);
        this.heartbeats = new PeerTable.HeartbeatRound() {
            @Override
            public void expired(Peer peer, long silentMillis) {
                departures.expired(peer, silentMillis);
            }

            @Override
            public void beat(Peer peer) {
                if (peer.majordomo() != null) {
                    out.send(peer.id(), MdpCodec.workerHeartbeat(peer.majordomo()));
                } else {
                    out.send(peer.id(), HEARTBEAT);
                }
            }
        };
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
        PeerId id = new PeerId(frames[0]);
        byte[][] f = Arrays.copyOfRange(frames, 1, frames.length);
        switch (sniffer.sniff(id, f, bytes)) {
            case NATIVE -> natives.onMessage(id, f, AccessControl.keyOf(userId), now);
            case MAJORDOMO -> majordomo.onMessage(id, f, AccessControl.keyOf(userId), now);
            default -> {
                // dropped: counted, and answered where it could be
            }
        }
    }

    /**
     * Heartbeats: every interval, drops the peers silent for the whole liveness window (a worker's jobs go to
     * other workers) and sends a heartbeat to the rest. Returns when it next needs to run.
     */
    long onTimers(long now) {
        return peers.onTimers(now, heartbeats);
    }

    /** Checks every command against access rules from now on; null: none. */
    void setAccess(AccessGate gate) {
        natives.setAccess(gate);
        majordomo.setAccess(gate);
    }

    /**
     * New limits and heartbeat settings, live; the WELCOME of peers that say HELLO from now on carries them. A lower
     * {@code maxConnections} refuses new peers and keeps those tracked now.
     */
    void onSettings(FrontendSettings value) {
        sniffer.onSettings(value);
        natives.onSettings(value);
        peers.onSettings(value.maxConnections(), value.heartbeatMillis(), value.liveness());
    }

    /** Native peers that are not workers: the connected Courier clients. */
    int clients() {
        return peers.clients();
    }

    /**
     * Tells every native client the broker is going away, so it notices at once instead of after its liveness
     * window, and starts reconnecting (with its backoff, along its endpoint list).
     */
    void onClose() {
        for (Peer peer : peers.all()) {
            if (peer.isNativeClient()) {
                out.send(peer.id(), new Disconnect("broker shutting down"));
            }
        }
        peers.clear();
        counters.connections(0);
    }
}
