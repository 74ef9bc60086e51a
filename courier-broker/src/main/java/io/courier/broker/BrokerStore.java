package io.courier.broker;

import io.courier.broker.config.BrokerConfig;
import io.courier.broker.stream.StoredStreams;
import io.courier.broker.queue.StoreJournal;
import io.courier.broker.transport.QueueBacking;
import io.courier.store.DurableStore;
import io.courier.store.Recovered;
import io.courier.store.StorageException;
import io.courier.store.StoreMetrics;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens the broker's durable store, in {@code <dataDir>/store}, and reads the queues and durable streams back from
 * it, turning every failure into one {@link StorageException} line that names the directory and the cause.
 * Stateless; called by {@link Broker#start} before the loop takes traffic.
 */
final class BrokerStore {
    /** The store's directory under the data directory. */
    static final String DIRECTORY = "store";

    private BrokerStore() {
    }

    static DurableStore open(BrokerConfig config, StoreMetrics hooks) {
        Path dir = config.dataDir().resolve(DIRECTORY);
        try {
            return DurableStore.open(dir, config.store().settings(hooks));
        } catch (StorageException e) {
            String message = String.valueOf(e.getMessage());
            if (message.toLowerCase(Locale.ROOT).contains("lock")) {
                throw new StorageException("data directory " + config.dataDir() + " is in use: another broker (or"
                        + " process) holds the lock of its store " + dir + "; stop it or give this broker another"
                        + " --data directory", e);
            }
            throw e;
        }
    }

    /** The journal over {@code store} and what it held; closes the store when its contents cannot be read. */
    static QueueBacking recover(DurableStore store, BrokerConfig config) {
        try {
            StoreJournal journal = new StoreJournal(store, config.store().mailboxCapacity());
            StoredStreams streams = new StoredStreams(store);
            Recovered recovered = store.takeRecovered();
            return new QueueBacking(journal, journal.recover(recovered), streams, streams.recover(recovered));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }
}
