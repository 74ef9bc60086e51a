package io.courier.broker.queue;

import io.courier.broker.Broker;
import io.courier.broker.config.BrokerConfig;
import io.courier.protocol.Command;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage.Confirm;
import io.courier.protocol.codec.NativeMessage.Enqueue;
import io.courier.protocol.codec.NativeMessage.QueueAdmin;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Brokers and peers of one queue test, closed in reverse order. Owned by the test thread. */
final class RunningBrokerFixture implements AutoCloseable {
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** Ephemeral loopback ports, http off, heartbeats every 100ms with liveness 5. */
    static BrokerConfig config(Path data) {
        return BrokerConfig.ephemeral(data).withHeartbeat(new BrokerConfig.Heartbeat(Duration.ofMillis(100), 5));
    }

    Broker start(BrokerConfig config) {
        Broker broker = Broker.start(config);
        opened.add(broker);
        return broker;
    }

    QueuePeer peer(Broker broker) {
        QueuePeer peer = QueuePeer.connect(broker.frontendEndpoint());
        opened.add(peer);
        return peer;
    }

    /** Enqueues and waits for the CONFIRM of {@code correlationId}. */
    Confirm enqueue(QueuePeer peer, long correlationId, String queue, String messageId, String body) {
        peer.send(new Enqueue(correlationId, queue, messageId, 0, Headers.of(java.util.Map.of("k", "v")),
                body.getBytes(StandardCharsets.UTF_8)));
        while (true) {
            Confirm c = peer.expect(Command.CONFIRM, QueueBrokerTest.WAIT);
            if (c.correlationId() == correlationId) {
                return c;
            }
        }
    }

    QueueAdminReply admin(QueuePeer peer, long correlationId, QueueAdmin.Operation op, String queue, int count) {
        peer.send(new QueueAdmin(correlationId, op, queue, count));
        while (true) {
            QueueAdminReply r = peer.expect(Command.QUEUE_ADMIN_REPLY, QueueBrokerTest.WAIT);
            if (r.correlationId() == correlationId) {
                return r;
            }
        }
    }

    String status(Broker broker) {
        try {
            return broker.status().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("status not answered", e);
        }
    }

    @Override
    public void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                throw new AssertionError("close failed", e);
            }
        }
        opened.clear();
    }
}
