package io.courier.broker.queue;

import io.courier.broker.peer.PeerId;
import java.util.Objects;

/** A consumer: the peer it lives on and the id that peer gave it. Immutable; a map key. */
public record ConsumerKey(PeerId peer, long id) {
    public ConsumerKey {
        Objects.requireNonNull(peer, "peer");
    }

    @Override
    public String toString() {
        return peer + "/" + id;
    }
}
