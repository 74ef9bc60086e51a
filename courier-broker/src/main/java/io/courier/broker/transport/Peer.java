package io.courier.broker.transport;

import io.courier.broker.peer.PeerId;

import io.courier.protocol.mdp.MdpMessage.Version;

/**
 * A peer the broker heartbeats: a native client or worker (after HELLO, or its first request), or a Majordomo
 * worker (after READY). Majordomo clients have no heartbeat and are not tracked. Mutable, confined to the broker
 * loop thread.
 */
final class Peer {
    final PeerId id;
    /** Null for a native peer; the Majordomo version of a Majordomo worker. */
    final Version majordomo;
    String name = "";
    boolean worker;
    long lastHeardMillis;

    Peer(PeerId id, Version majordomo, long nowMillis) {
        this.id = id;
        this.majordomo = majordomo;
        this.lastHeardMillis = nowMillis;
    }

    String role() {
        return worker ? "worker" : "client";
    }
}
