package io.courier.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a whole store back at open: walks the {@code messages} and {@code state} families side by side (they share
 * keys, so both iterate in the same order) and the {@code meta} family. Checksums are verified on every block read,
 * and each iterator's status is checked at its end, so a read error fails the open instead of ending the walk early
 * with a partial store. Runs on the opening thread, before the writer starts.
 */
final class RecoveryReader {
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryReader.class);

    private final Database database;
    private int strayStates;

    private RecoveryReader(Database database) {
        this.database = database;
    }

    static Recovered read(Database database) {
        RecoveryReader reader = new RecoveryReader(database);
        try (ReadOptions options = new ReadOptions().setVerifyChecksums(true).setFillCache(false)) {
            Map<String, List<StoredMessage>> queues = reader.readMessages(options);
            Map<String, byte[]> metadata = reader.readMetadata(options);
            if (reader.strayStates > 0) {
                LOG.warn("store recovery ignored delivery states of deleted messages dir={} count={}",
                    database.directory(), reader.strayStates);
            }
            return new Recovered(queues, metadata);
        } catch (RocksDBException e) {
            throw Database.failure(database.directory(), "recovery read", e);
        }
    }

    private Map<String, List<StoredMessage>> readMessages(ReadOptions options) throws RocksDBException {
        Map<String, List<StoredMessage>> queues = new LinkedHashMap<>();
        try (RocksIterator messages = database.db().newIterator(database.family(Database.MESSAGES), options);
             RocksIterator states = database.db().newIterator(database.family(Database.STATE), options)) {
            messages.seekToFirst();
            states.seekToFirst();
            String queue = null;
            List<StoredMessage> current = null;
            for (; messages.isValid(); messages.next()) {
                byte[] key = messages.key();
                skipStrayStates(states, key);
                if (!states.isValid() || !Arrays.equals(states.key(), key)) {
                    messages.status();
                    states.status();
                    throw inconsistent(key, "has no delivery state");
                }
                String name = decode(key, Keys::queueOf);
                if (!name.equals(queue)) {
                    queue = name;
                    current = new ArrayList<>();
                    if (queues.put(name, current) != null) {
                        throw inconsistent(key, "is out of order");
                    }
                }
                byte[] state = states.value();
                current.add(new StoredMessage(decode(key, Keys::sequenceOf), messages.value(),
                    decode(state, Keys::deliveryCountOf), decode(state, Keys::stateOf)));
                states.next();
            }
            messages.status();
            for (; states.isValid(); states.next()) {
                strayStates++;
            }
            states.status();
        }
        queues.replaceAll((name, list) -> List.copyOf(list));
        return queues;
    }

    private void skipStrayStates(RocksIterator states, byte[] key) {
        while (states.isValid() && Arrays.compareUnsigned(states.key(), key) < 0) {
            strayStates++;
            states.next();
        }
    }

    private Map<String, byte[]> readMetadata(ReadOptions options) throws RocksDBException {
        Map<String, byte[]> metadata = new HashMap<>();
        try (RocksIterator meta = database.db().newIterator(database.family(Database.META), options)) {
            for (meta.seekToFirst(); meta.isValid(); meta.next()) {
                String key = new String(meta.key(), StandardCharsets.UTF_8);
                if (!key.startsWith(StoreWrite.RESERVED_PREFIX)) {
                    metadata.put(key, meta.value());
                }
            }
            meta.status();
        }
        return metadata;
    }

    private <T> T decode(byte[] bytes, Function<byte[], T> decoder) {
        try {
            return decoder.apply(bytes);
        } catch (IllegalArgumentException e) {
            throw new StorageException("store in " + database.directory() + " holds an entry it cannot read: "
                + e.getMessage() + "; refusing to open it", e);
        }
    }

    private StorageException inconsistent(byte[] key, String problem) {
        String name = decode(key, Keys::queueOf);
        long sequence = decode(key, Keys::sequenceOf);
        return new StorageException("store in " + database.directory() + " is inconsistent: message " + sequence
            + " of queue '" + name + "' " + problem + "; refusing to open it");
    }
}
