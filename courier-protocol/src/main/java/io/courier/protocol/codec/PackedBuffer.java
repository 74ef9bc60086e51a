package io.courier.protocol.codec;

import java.util.Arrays;

/**
 * A growable big-endian byte buffer for the packed frame of the batch commands (PUBLISH_BATCH, PUBACK_BATCH,
 * EVENT_BATCH). Reused between batches by its owner: {@link #clear} keeps the capacity. Not thread-safe.
 */
final class PackedBuffer {
    private byte[] bytes;
    private int size;

    PackedBuffer(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    /** A copy of what was written: the frame to send. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    void u8(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
    }

    void u16(int value) {
        ensure(2);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    void u32(int value) {
        ensure(4);
        bytes[size++] = (byte) (value >>> 24);
        bytes[size++] = (byte) (value >>> 16);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    void u64(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
    }

    void put(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, bytes, size, value.length);
        size += value.length;
    }

    /** A u32 length, then the bytes. */
    void sized(byte[] value) {
        u32(value.length);
        put(value);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            long wanted = Math.max((long) bytes.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("batch over 2 GiB");
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }
}
