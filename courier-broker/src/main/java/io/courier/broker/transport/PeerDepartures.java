package io.courier.broker.transport;

import io.courier.broker.metrics.BrokerMetrics;
import io.courier.broker.peer.Peer;
import io.courier.broker.peer.PeerId;
import io.courier.broker.peer.PeerTable;
import io.courier.broker.service.RequestRouter;
import io.courier.broker.stream.StreamCore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A frontend peer is gone, because it said so, broke the protocol, or went silent: everything that kept state for
 * it lets go. The outbox drops what it gathered, streams end its subscriptions, queues detach its consumers (their
 * unacked messages go back), the peer table stops tracking it, and the request router sends a worker's jobs to
 * other workers. Confined to the broker loop thread.
 */
final class PeerDepartures {
    private static final Logger LOG = LoggerFactory.getLogger(PeerDepartures.class);

    private final PeerTable peers;
    private final RouterOutbox out;
    private final StreamCore streams;
    private final QueueRoutes queues;
    private final RequestRouter router;
    private final BrokerMetrics metrics;

    PeerDepartures(PeerTable peers, RouterOutbox out, StreamCore streams, QueueRoutes queues, RequestRouter router,
                   BrokerMetrics metrics) {
        this.peers = peers;
        this.out = out;
        this.streams = streams;
        this.queues = queues;
        this.router = router;
        this.metrics = metrics;
    }

    /** The peer left, or is sent away, for {@code cause} (logged, and given as the reason a worker went). */
    void forget(PeerId id, String cause) {
        out.forget(id);
        streams.onPeerGone(id);
        queues.onPeerGone(id);
        Peer peer = peers.remove(id);
        if (peer != null) {
            LOG.debug("peer left peer={} role={} cause={}", id, peer.role(), cause);
        }
        router.onWorkerGone(id, cause);
    }

    /** The peer table dropped a peer silent past the liveness window ({@link PeerTable.HeartbeatRound#expired}). */
    void expired(Peer peer, long silentMillis) {
        metrics.onHeartbeatExpired(peer.role());
        LOG.info("peer expired peer={} role={} name={} silentMs={}", peer.id(), peer.role(), peer.name(),
                silentMillis);
        out.forget(peer.id());
        streams.onPeerGone(peer.id());
        queues.onPeerGone(peer.id());
        if (peer.isWorker()) {
            router.onWorkerGone(peer.id(), "silent for " + silentMillis + "ms");
        }
    }
}
