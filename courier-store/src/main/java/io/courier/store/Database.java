package io.courier.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RocksDB database under a store: how it is opened (directory checks, options, corruption checks), written and
 * closed. Opened and read by the opening thread, then owned by the {@code courier-store} writer thread, which alone
 * writes and closes it.
 *
 * <p>Recovery mode: {@link WALRecoveryMode#TolerateCorruptedTailRecords}, chosen over the two usual candidates after
 * corrupting logs of RocksDB 11.8 on purpose. A crash can leave the last log record torn (cut short, or followed by
 * zeros): that record was never confirmed, so it is dropped and the store opens. Anything else, a record whose
 * checksum fails anywhere in the log, fails the open. {@code kPointInTimeRecovery} opened a log with a flipped byte
 * halfway through as a store holding half the messages, silently dropping confirmed ones after the flip;
 * {@code kAbsoluteConsistency} refused to open after an ordinary torn tail, so a power cut would need an operator.
 * With {@code track_and_verify_wals_in_manifest} the MANIFEST records the size of each synced, closed log, so a
 * closed log cut short (or missing) fails the open too. What no mode can see is the live log cut at a record
 * boundary: it looks exactly like a crash before those records were written.
 */
final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** Column family index of the messages (payloads by queue and sequence). */
    static final int MESSAGES = 0;
    /** Column family index of the delivery states. */
    static final int STATE = 1;
    /** Column family index of the metadata. */
    static final int META = 2;
    /** Column family names, indexed by {@link #MESSAGES}, {@link #STATE}, {@link #META}. */
    static final List<String> FAMILIES = List.of("messages", "state", "meta");

    private final Path directory;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions familyOptions;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles;

    private Database(Path directory, DBOptions dbOptions, ColumnFamilyOptions familyOptions, RocksDB db,
                     List<ColumnFamilyHandle> handles) {
        this.directory = directory;
        this.dbOptions = dbOptions;
        this.familyOptions = familyOptions;
        this.writeOptions = new WriteOptions().setSync(false);
        this.db = db;
        this.handles = handles;
    }

    /** Opens or creates the database in {@code directory}, verifying every table file's checksums. */
    static Database open(Path directory, StoreSettings settings) {
        loadLibrary();
        prepareDirectory(directory);
        boolean exists = Files.exists(directory.resolve("CURRENT"));
        if (!exists) {
            refuseOrphanFiles(directory);
        }
        DBOptions dbOptions = dbOptions(directory, exists);
        ColumnFamilyOptions familyOptions = new ColumnFamilyOptions().setWriteBufferSize(settings.memtableBytes());
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions));
        for (String name : FAMILIES) {
            descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), familyOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db;
        try {
            db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            familyOptions.close();
            dbOptions.close();
            throw failure(directory, "open", e);
        }
        Database database = new Database(directory, dbOptions, familyOptions, db, handles);
        try {
            if (exists) {
                database.verify();
            } else {
                database.writeFormat();
            }
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    Path directory() {
        return directory;
    }

    RocksDB db() {
        return db;
    }

    /** The handle of {@link #FAMILIES}{@code .get(index)}. */
    ColumnFamilyHandle family(int index) {
        return handles.get(index + 1);
    }

    /** Appends the batch to the log and memtables with one {@code write(2)}; no fsync. */
    void write(WriteBatch batch) throws RocksDBException {
        db.write(writeOptions, batch);
    }

    /** Fsyncs the log: every batch written before this call is then durable. */
    void sync() throws RocksDBException {
        db.syncWal();
    }

    /** Writes the memtables to table files, so that the next open has no log to replay. */
    void flush() throws RocksDBException {
        try (FlushOptions options = new FlushOptions().setWaitForFlush(true)) {
            db.flush(options, handles.subList(1, handles.size()));
        }
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle handle : handles) {
            handle.close();
        }
        try {
            db.closeE();
        } catch (RocksDBException e) {
            LOG.warn("store close failed dir={} error={}", directory, e.getMessage());
        }
        writeOptions.close();
        familyOptions.close();
        dbOptions.close();
    }

    /** A {@link StorageException} that says what failed where, and for corruption what the store refuses to do. */
    static StorageException failure(Path directory, String operation, RocksDBException e) {
        Status status = e.getStatus();
        if (status != null && status.getCode() == Status.Code.Corruption) {
            return new StorageException("store in " + directory + " is corrupt (" + operation + "): " + e.getMessage()
                + "; refusing to open it rather than serve a partial store. Restore the directory from a backup,"
                + " or move it aside to start empty", e);
        }
        return new StorageException("store in " + directory + ": " + operation + " failed: " + e.getMessage(), e);
    }

    private void verify() {
        try {
            db.verifyChecksum();
        } catch (RocksDBException e) {
            throw failure(directory, "checksum verification", e);
        }
        byte[] format;
        try {
            format = db.get(family(META), Keys.FORMAT_KEY);
        } catch (RocksDBException e) {
            throw failure(directory, "reading the format marker", e);
        }
        if (format == null) {
            throw new StorageException("store in " + directory + " has no format marker: it is not a Courier store,"
                + " or its metadata was lost; refusing to open it");
        }
        int version;
        try {
            version = Keys.formatOf(format);
        } catch (IllegalArgumentException e) {
            throw new StorageException("store in " + directory + " has an unreadable format marker: "
                + e.getMessage(), e);
        }
        if (version != Keys.FORMAT_VERSION) {
            throw new StorageException("store in " + directory + " has format " + version + "; this version reads"
                + " format " + Keys.FORMAT_VERSION);
        }
    }

    private void writeFormat() {
        try (WriteOptions synced = new WriteOptions().setSync(true)) {
            db.put(family(META), synced, Keys.FORMAT_KEY, Keys.formatValue());
        } catch (RocksDBException e) {
            throw failure(directory, "writing the format marker", e);
        }
    }

    private static DBOptions dbOptions(Path directory, boolean exists) {
        Properties properties = new Properties();
        properties.setProperty("track_and_verify_wals_in_manifest", "true");
        DBOptions options = DBOptions.getDBOptionsFromProps(properties);
        if (options == null) {
            throw new StorageException("store in " + directory
                + ": RocksDB rejected option track_and_verify_wals_in_manifest");
        }
        return options.setCreateIfMissing(!exists)
            .setCreateMissingColumnFamilies(!exists)
            .setParanoidChecks(true)
            .setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords)
            .setKeepLogFileNum(10)
            .setMaxLogFileSize(16L << 20);
    }

    private static void loadLibrary() {
        try {
            RocksDB.loadLibrary();
        } catch (UnsatisfiedLinkError e) {
            throw new StorageException("cannot load RocksDB's native library for this platform: " + e.getMessage(), e);
        }
    }

    private static void prepareDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException e) {
            throw new StorageException("data directory " + directory + " is not a directory: " + e.getFile()
                + " is a file", e);
        } catch (IOException e) {
            throw new StorageException("data directory " + directory + " cannot be created: " + e, e);
        }
        Path probe = directory.resolve(".courier-write-check");
        try {
            Files.deleteIfExists(probe);
            Files.write(probe, new byte[] {1});
            Files.delete(probe);
        } catch (IOException e) {
            throw new StorageException("data directory " + directory + " is not writable: " + e, e);
        }
    }

    /** Table files or logs but no CURRENT: the pointer was lost, and a new store there would hide the old data. */
    private static void refuseOrphanFiles(Path directory) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(".sst") || name.endsWith(".log") || name.startsWith("MANIFEST-")) {
                    throw new StorageException("data directory " + directory + " holds store files (" + name
                        + ") but no CURRENT file: the store is damaged; refusing to create an empty store over it");
                }
            }
        } catch (IOException e) {
            throw new StorageException("data directory " + directory + " cannot be listed: " + e, e);
        }
    }
}
