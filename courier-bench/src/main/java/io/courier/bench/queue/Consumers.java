package io.courier.bench.queue;

import io.courier.bench.Quietly;
import io.courier.client.Client;
import io.courier.client.ClientConfig;
import io.courier.client.ConsumeOptions;
import io.courier.client.QueueConsumer;
import java.util.ArrayList;
import java.util.List;

/**
 * C consumers, each its own {@link Client}, of one queue with the settings' prefetch. The handler acks each
 * delivery and notes its seq in the {@link Ledger}; it runs on the client's callback threads (the default), or
 * with {@code inline} on its I/O thread ({@code withCallbackExecutor(Runnable::run)}). Thread-safe, like the
 * clients.
 */
final class Consumers implements AutoCloseable {
    private final List<Client> clients = new ArrayList<>();
    private final List<QueueConsumer> consumers = new ArrayList<>();

    /** Connects and consumes; returns once the broker has attached every consumer. */
    Consumers(String frontend, String queue, QueueBenchSettings settings, Ledger ledger, boolean inline) {
        try {
            for (int i = 0; i < settings.consumers(); i++) {
                Client client = Client.connect(ClientConfig.of(frontend).withName("bench-consumer-" + i)
                        .withCallbackExecutor(inline ? Runnable::run : null));
                clients.add(client);
                consumers.add(client.consume(queue, ConsumeOptions.defaults().withPrefetch(settings.prefetch()),
                        delivery -> {
                            delivery.ack();
                            ledger.delivered(delivery.seq());
                        }));
            }
            for (QueueConsumer c : consumers) {
                c.awaitConsuming(settings.timeout());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        for (QueueConsumer c : consumers) {
            c.close();
        }
        clients.forEach(Quietly::close);
    }
}
