package io.courier.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;
import org.rocksdb.WriteBatch;

/** Damaged stores fail to open with an error that says so; they are never served empty or partial. */
@Timeout(30)
class StoreCorruptionTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseToOpenAStoreWithAFlippedByteInATableFile() throws Exception {
        writeAndClose(dir, 2_000);
        List<Path> tables = StoreFiles.list(dir, ".sst");
        assertThat(tables).isNotEmpty();                              // close flushed the memtables
        Path table = StoreFiles.largest(tables);
        StoreFiles.flipByte(table, Files.size(table) / 2);

        assertThatThrownBy(() -> DurableStore.open(dir, StoreSettings.defaults()))
            .isInstanceOf(StorageException.class)
            .hasMessageContaining(dir.toString())
            .hasMessageContaining("is corrupt")
            .hasMessageContaining("checksum");
        assertThat(StoreFiles.storeThreads()).isEmpty();
    }

    @Test
    void shouldRefuseToOpenAStoreWithATruncatedManifest() throws Exception {
        writeAndClose(dir, 2_000);
        Path manifest = StoreFiles.manifest(dir);
        StoreFiles.truncate(manifest, Files.size(manifest) / 2);

        assertThatThrownBy(() -> DurableStore.open(dir, StoreSettings.defaults()))
            .isInstanceOf(StorageException.class)
            .hasMessageContaining(dir.toString())
            .hasMessageContaining("is corrupt");
    }

    @Test
    void shouldRefuseToOpenAStoreWhoseClosedLogWasCutShort() throws Exception {
        Path live = dir.resolve("live");
        Path image;
        try (Database database = Database.open(live, StoreSettings.defaults())) {
            put(database, 0, 500);
            try (FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
                // Switches to a new log; the old one stays live because "state" and "meta" still need it.
                database.db().flush(wait, database.family(Database.MESSAGES));
            }
            put(database, 500, 1_000);
            image = StoreFiles.crashImage(live, dir.resolve("crashed"));
        }
        List<Path> logs = StoreFiles.list(image, ".log");
        assertThat(logs).hasSizeGreaterThanOrEqualTo(2);
        Path closedLog = logs.get(0);
        StoreFiles.truncate(closedLog, Files.size(closedLog) / 2);

        assertThatThrownBy(() -> DurableStore.open(image, StoreSettings.defaults()))
            .isInstanceOf(StorageException.class)
            .hasMessageContaining("is corrupt")
            .hasMessageContaining("Size mismatch: WAL");
    }

    @Test
    void shouldRefuseToOpenAStoreWithACorruptRecordInTheMiddleOfTheLog() throws Exception {
        Path image = crashImageWithConfirmedWrites(200);
        Path log = StoreFiles.largest(StoreFiles.list(image, ".log"));
        StoreFiles.flipByte(log, Files.size(log) / 2);

        assertThatThrownBy(() -> DurableStore.open(image, StoreSettings.defaults()))
            .isInstanceOf(StorageException.class)
            .hasMessageContaining("is corrupt")
            .hasMessageContaining("checksum mismatch");
    }

    @Test
    void shouldDropOnlyATornLastRecordAfterACrash() throws Exception {
        Path image = crashImageWithConfirmedWrites(200);
        Path log = StoreFiles.largest(StoreFiles.list(image, ".log"));
        StoreFiles.truncate(log, Files.size(log) - 10);     // the last write was cut short by the crash

        try (DurableStore store = DurableStore.open(image, StoreSettings.defaults())) {
            assertThat(store.takeRecovered().queues().get("q")).extracting(StoredMessage::sequence)
                .containsExactlyElementsOf(sequences(0, 199));
        }
    }

    @Test
    void shouldRefuseToCreateAnEmptyStoreOverFilesThatLostTheirCurrentPointer() throws Exception {
        writeAndClose(dir, 100);
        Files.delete(dir.resolve("CURRENT"));

        assertThatThrownBy(() -> DurableStore.open(dir, StoreSettings.defaults()))
            .isInstanceOf(StorageException.class)
            .hasMessageContaining("no CURRENT file")
            .hasMessageContaining(dir.toString());
    }

    @Test
    void shouldFailWithTheDirectoryNamedWhenItCannotBeCreated() throws Exception {
        Path file = Files.write(dir.resolve("not-a-dir"), new byte[] {1});
        Path store = file.resolve("store");        // a regular file as parent fails even for root

        assertThatThrownBy(() -> DurableStore.open(store, StoreSettings.defaults()))
            .isInstanceOf(StorageException.class)
            .hasMessageContaining("data directory " + store + " cannot be created")
            .hasMessageContaining("Not a directory");
        assertThatThrownBy(() -> DurableStore.open(file, StoreSettings.defaults()))
            .isInstanceOf(StorageException.class)
            .hasMessageContaining("data directory " + file + " is not a directory");
    }

    private static void writeAndClose(Path directory, int messages) throws Exception {
        Random random = new Random(42);
        try (DurableStore store = DurableStore.open(directory, StoreSettings.defaults())) {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (long seq = 0; seq < messages; seq++) {
                byte[] payload = new byte[256];
                random.nextBytes(payload);                 // incompressible, so the table file has real blocks
                writes.add(store.putMessage("q", seq, payload));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(20, SECONDS);
        }
    }

    /** Each write confirmed before the next, so the log holds one record per message. */
    private Path crashImageWithConfirmedWrites(int messages) throws Exception {
        Path live = dir.resolve("live");
        try (DurableStore store = DurableStore.open(live, StoreSettings.defaults())) {
            for (long seq = 0; seq < messages; seq++) {
                store.putMessage("q", seq, new byte[64]).get(5, SECONDS);
            }
            return StoreFiles.crashImage(live, dir.resolve("crashed"));
        }
    }

    private static void put(Database database, long from, long to) throws Exception {
        for (long seq = from; seq < to; seq++) {
            try (WriteBatch batch = new WriteBatch()) {
                byte[] key = Keys.message("q", seq);
                batch.put(database.family(Database.MESSAGES), key, new byte[64]);
                batch.put(database.family(Database.STATE), key, Keys.state(0, MessageState.READY));
                database.write(batch);
                database.sync();
            }
        }
    }

    private static List<Long> sequences(long from, long to) {
        List<Long> result = new ArrayList<>();
        for (long seq = from; seq < to; seq++) {
            result.add(seq);
        }
        return result;
    }
}
