package io.courier.broker.peer;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers the broker heartbeats, by routing id: when each was last heard, which are silent past the liveness
 * window, and {@code limits.maxConnections}, the most it tracks. The limit caps tracked peers, not TCP connections
 * (JeroMQ has no such cap): a connection that never says anything costs only JeroMQ's buffers, and a lower limit
 * refuses new peers while keeping those tracked now. What a peer's arrival, expiry or departure means elsewhere in
 * the broker is the caller's business; this table only keeps the books. Confined to the broker loop thread.
 */
public final class PeerTable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerTable.class);

    /** Hears how many peers the table holds and each one it refused; called on the broker loop thread. */
    public interface Listener {
        /** The table holds {@code count} peers: after each peer added or removed, and after each heartbeat round. */
        void onCount(int count);

        /** A new peer was refused: the table held {@code maxConnections} peers. */
        void onRefused();
    }

    /** What a heartbeat round does with each peer; called on the broker loop thread, during the round. */
    public interface HeartbeatRound {
        /** {@code peer} was silent for {@code silentMillis}, past the liveness window, and is no longer tracked. */
        void expired(Peer peer, long silentMillis);

        /** {@code peer} is alive: it should get a heartbeat. */
        void beat(Peer peer);
    }

    private final Map<PeerId, Peer> peers = new HashMap<>();
    private final Listener listener;
    private int maxConnections;
    private long heartbeatMillis;
    private int liveness;
    private long nextHeartbeatAt;
    private long refused;

    public PeerTable(int maxConnections, long heartbeatMillis, int liveness, Listener listener) {
        this.listener = listener;
        onSettings(maxConnections, heartbeatMillis, liveness);
    }

    /**
     * New limit and heartbeat settings, live: the next {@link #onTimers} runs a round at once, with them. A peer is
     * dropped once silent for more than {@code heartbeatMillis * liveness}.
     */
    public void onSettings(int maxConnections, long heartbeatMillis, int liveness) {
        this.maxConnections = maxConnections;
        this.heartbeatMillis = heartbeatMillis;
        this.liveness = liveness;
        nextHeartbeatAt = 0;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** The tracked peer, or null. */
    public Peer get(PeerId id) {
        return peers.get(id);
    }

    /** The peer sent something at {@code nowMillis}: returns it, heard, or null when it is not tracked. */
    public Peer heard(PeerId id, long nowMillis) {
        Peer peer = peers.get(id);
        if (peer != null) {
            peer.heard(nowMillis);
        }
        return peer;
    }

    /** True when one more peer would be one too many. */
    public boolean isFull() {
        return peers.size() >= maxConnections;
    }

    /**
     * Counts a peer refused because the table {@link #isFull}; logs a WARN at the 1st, 2nd, 4th, 8th... refusal,
     * DEBUG otherwise. The peer is not tracked.
     */
    public void refuse(PeerId id) {
        refused++;
        listener.onRefused();
        if (Long.bitCount(refused) == 1) {   // visible, never a flood
            LOG.warn("peer refused, too many connections peer={} maxConnections={} total={}", id, maxConnections,
                    refused);
        } else {
            LOG.debug("peer refused, too many connections peer={} maxConnections={} total={}", id, maxConnections,
                    refused);
        }
    }

    /**
     * The tracked peer, or a new native one, heard at {@code nowMillis}, when it is not tracked yet. Does not check
     * the limit: the caller asks {@link #isFull} first.
     */
    public Peer track(PeerId id, long nowMillis) {
        Peer peer = peers.get(id);
        if (peer != null) {
            return peer;
        }
        Peer fresh = new Peer(id, null, nowMillis);
        add(fresh);
        return fresh;
    }

    /** Tracks {@code peer} (a Majordomo worker, say), in place of any peer of its id. */
    public void add(Peer peer) {
        peers.put(peer.id(), peer);
        listener.onCount(peers.size());
    }

    /** Stops tracking the peer; returns it, or null when it was not tracked. */
    public Peer remove(PeerId id) {
        Peer peer = peers.remove(id);
        if (peer != null) {
            listener.onCount(peers.size());
        }
        return peer;
    }

    /**
     * Heartbeats: once every {@code heartbeatMillis}, drops each peer silent for the whole liveness window
     * ({@link HeartbeatRound#expired}) and has {@code round} beat the rest, in one pass over the table. Returns when
     * it next needs to run.
     */
    public long onTimers(long nowMillis, HeartbeatRound round) {
        if (nowMillis < nextHeartbeatAt) {
            return nextHeartbeatAt;
        }
        long expiry = heartbeatMillis * liveness;
        Iterator<Peer> it = peers.values().iterator();
        while (it.hasNext()) {
            Peer peer = it.next();
            long silent = nowMillis - peer.lastHeardMillis();
            if (silent > expiry) {
                it.remove();
                round.expired(peer, silent);
            } else {
                round.beat(peer);
            }
        }
        listener.onCount(peers.size());
        nextHeartbeatAt = nowMillis + heartbeatMillis;
        return nextHeartbeatAt;
    }

    public int size() {
        return peers.size();
    }

    /** The native peers that are not workers: the connected Courier clients. */
    public int clients() {
        int n = 0;
        for (Peer peer : peers.values()) {
            if (peer.isNativeClient()) {
                n++;
            }
        }
        return n;
    }

    /** Every tracked peer, as a read-only view. */
    public Collection<Peer> all() {
        return Collections.unmodifiableCollection(peers.values());
    }

    /** Forgets every peer at once, without telling the listener (the broker is closing). */
    public void clear() {
        peers.clear();
    }
}
