package io.courier.broker.peer;

import io.courier.protocol.mdp.MdpMessage.Version;

/**
 * A peer the broker heartbeats: a native client or worker (after HELLO, or its first request), or a Majordomo
 * worker (after READY). Majordomo clients have no heartbeat and are not tracked. Mutable, confined to the broker
 * loop thread.
 */
public final class Peer {
    private final PeerId id;
    private final Version majordomo;
    private String name = "";
    private boolean worker;
    private long lastHeardMillis;

    /** {@code majordomo}: null for a native peer, the Majordomo version of a Majordomo worker. */
    public Peer(PeerId id, Version majordomo, long nowMillis) {
        this.id = id;
        this.majordomo = majordomo;
        this.lastHeardMillis = nowMillis;
    }

    public PeerId id() {
        return id;
    }

    /** Null for a native peer; the Majordomo version of a Majordomo worker. */
    public Version majordomo() {
        return majordomo;
    }

    /** The name it gave (HELLO or READY {@code name}), empty when none. */
    public String name() {
        return name;
    }

    public void name(String value) {
        name = value;
    }

    /** True once it registered a service (native or Majordomo READY). */
    public boolean isWorker() {
        return worker;
    }

    public void markWorker() {
        worker = true;
    }

    /** A native peer that is not a worker: a connected Courier client. */
    public boolean isNativeClient() {
        return !worker && majordomo == null;
    }

    public long lastHeardMillis() {
        return lastHeardMillis;
    }

    /** It sent something at {@code nowMillis}. */
    public void heard(long nowMillis) {
        lastHeardMillis = nowMillis;
    }

    /** {@code worker} or {@code client}, as logs and metrics label it. */
    public String role() {
        return worker ? "worker" : "client";
    }
}
