package io.courier.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One submitted write waiting in the writer's mailbox: the {@link StoreWrite}s of one {@link DurableStore#write}
 * call, applied atomically, encoded on the submitting thread into column-family operations so that the writer
 * thread only copies bytes into its batch. It counts in {@link DurableStore#pendingWrites()} until its future
 * completes. Immutable once built; its future is completed by {@link Confirmer}.
 */
final class PendingWrite {
    /** Column family index of each operation. */
    final int[] families;
    final byte[][] keys;
    /** Value of each operation; {@code null} means delete. */
    final byte[][] values;
    /** Payload bytes, counted against a batch's byte limit. */
    final long bytes;
    final CompletableFuture<Void> result;

    private PendingWrite(int operations, long bytes, CompletableFuture<Void> result) {
        this.families = new int[operations];
        this.keys = new byte[operations][];
        this.values = new byte[operations][];
        this.bytes = bytes;
        this.result = result;
    }

    /** The sentinel that tells the writer to finish: it is never written. */
    static PendingWrite stop() {
        return new PendingWrite(0, 0, new CompletableFuture<>());
    }

    static PendingWrite encode(List<StoreWrite> writes, CompletableFuture<Void> result) {
        int operations = 0;
        long bytes = 0;
        for (StoreWrite write : writes) {
            boolean twoFamilies = write instanceof StoreWrite.PutMessage || write instanceof StoreWrite.DeleteMessage;
            operations += twoFamilies ? 2 : 1;
            bytes += payloadBytes(write);
        }
        PendingWrite encoded = new PendingWrite(operations, bytes, result);
        int index = 0;
        for (StoreWrite write : writes) {
            index = encoded.add(index, write);
        }
        return encoded;
    }

    int size() {
        return keys.length;
    }

    private int add(int index, StoreWrite write) {
        if (write instanceof StoreWrite.PutMessage put) {
            byte[] key = Keys.message(put.queue(), put.sequence());
            set(index, Database.MESSAGES, key, put.payload());
            set(index + 1, Database.STATE, key, Keys.state(0, MessageState.READY));
            return index + 2;
        } else if (write instanceof StoreWrite.DeleteMessage delete) {
            byte[] key = Keys.message(delete.queue(), delete.sequence());
            set(index, Database.MESSAGES, key, null);
            set(index + 1, Database.STATE, key, null);
            return index + 2;
        } else if (write instanceof StoreWrite.UpdateState update) {
            set(index, Database.STATE, Keys.message(update.queue(), update.sequence()),
                Keys.state(update.deliveryCount(), update.state()));
        } else if (write instanceof StoreWrite.PutMetadata meta) {
            set(index, Database.META, Keys.metadata(meta.key()), meta.value());
        } else if (write instanceof StoreWrite.DeleteMetadata meta) {
            set(index, Database.META, Keys.metadata(meta.key()), null);
        } else {
            throw new IllegalArgumentException("unknown write " + write);
        }
        return index + 1;
    }

    private void set(int index, int family, byte[] key, byte[] value) {
        families[index] = family;
        keys[index] = key;
        values[index] = value;
    }

    private static long payloadBytes(StoreWrite write) {
        if (write instanceof StoreWrite.PutMessage put) {
            return put.payload().length;
        } else if (write instanceof StoreWrite.PutMetadata meta) {
            return meta.value().length;
        }
        return 0;
    }
}
