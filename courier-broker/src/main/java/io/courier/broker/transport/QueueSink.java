package io.courier.broker.transport;

import io.courier.broker.queue.ConsumerKey;
import io.courier.broker.queue.Delivery;
import io.courier.broker.queue.DeliverySink;
import io.courier.broker.peer.PeerId;
import io.courier.protocol.codec.NativeMessage.Deliver;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the queue core's deliveries go: DELIVER to the consumer's peer on the frontend ROUTER, never blocking. A
 * peer whose queue is full refuses (the core retries on its timer); a peer that is gone (unroutable) refuses too
 * and is remembered, so the transport can detach its consumers at once instead of retrying until it expires.
 * Confined to the broker loop thread.
 */
final class QueueSink implements DeliverySink {
    private final RouterOutbox out;
    private final Set<PeerId> gone = new LinkedHashSet<>();
    private long delivered;

    QueueSink(RouterOutbox out) {
        this.out = out;
    }

    @Override
    public boolean deliver(ConsumerKey consumer, Delivery d) {
        boolean sent = out.send(consumer.peer(), new Deliver(consumer.id(), d.queue(), d.tag(), d.seq(),
                d.deliveries(), d.enqueuedAtMillis(), d.headers(), Bodies.join(d.body())), true);
        if (sent) {
            delivered++;
        } else if (out.lastFailureUnroutable()) {
            gone.add(consumer.peer());
        }
        return sent;
    }

    /** The peers found gone since the last call. */
    List<PeerId> takeGone() {
        if (gone.isEmpty()) {
            return List.of();
        }
        List<PeerId> taken = new ArrayList<>(gone);
        gone.clear();
        return taken;
    }

    long delivered() {
        return delivered;
    }
}
