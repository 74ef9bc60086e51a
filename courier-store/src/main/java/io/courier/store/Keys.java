package io.courier.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The on-disk layout of keys and values. Stateless; any thread.
 *
 * <p>A message key is {@code [u16 name length][queue name, UTF-8][u64 sequence]}, all big-endian. RocksDB orders
 * keys as unsigned bytes, so one queue's keys are contiguous (the length prefix keeps "a" apart from "ab") and within
 * a queue they run in sequence order: iterating the column family yields each queue's messages in enqueue order.
 * The same key names a message in the {@code messages} family and its delivery state in the {@code state} family.
 */
final class Keys {
    /** Metadata key (in the {@code meta} family) of the store's format version. */
    static final byte[] FORMAT_KEY = (StoreWrite.RESERVED_PREFIX + "format").getBytes(StandardCharsets.UTF_8);
    /** The one format this code reads and writes. */
    static final int FORMAT_VERSION = 1;

    private static final int STATE_BYTES = Integer.BYTES + 1;

    private Keys() {
    }

    static byte[] message(String queue, long sequence) {
        byte[] name = queue.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Short.BYTES + name.length + Long.BYTES)
            .putShort((short) name.length).put(name).putLong(sequence).array();
    }

    static String queueOf(byte[] key) {
        int length = checkedNameLength(key);
        return new String(key, Short.BYTES, length, StandardCharsets.UTF_8);
    }

    static long sequenceOf(byte[] key) {
        int length = checkedNameLength(key);
        return ByteBuffer.wrap(key, Short.BYTES + length, Long.BYTES).getLong();
    }

    static byte[] state(int deliveryCount, MessageState state) {
        return ByteBuffer.allocate(STATE_BYTES).putInt(deliveryCount).put((byte) state.code()).array();
    }

    static int deliveryCountOf(byte[] value) {
        checkStateLength(value);
        return ByteBuffer.wrap(value).getInt();
    }

    static MessageState stateOf(byte[] value) {
        checkStateLength(value);
        return MessageState.fromCode(value[Integer.BYTES] & 0xff);
    }

    static byte[] metadata(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] formatValue() {
        return ByteBuffer.allocate(Integer.BYTES).putInt(FORMAT_VERSION).array();
    }

    static int formatOf(byte[] value) {
        if (value.length != Integer.BYTES) {
            throw new IllegalArgumentException("format marker has " + value.length + " bytes, expected 4");
        }
        return ByteBuffer.wrap(value).getInt();
    }

    private static int checkedNameLength(byte[] key) {
        if (key.length < Short.BYTES + Long.BYTES) {
            throw new IllegalArgumentException("message key too short [bytes=" + key.length + "]");
        }
        int length = ((key[0] & 0xff) << 8) | (key[1] & 0xff);
        if (key.length != Short.BYTES + length + Long.BYTES) {
            throw new IllegalArgumentException("message key length " + key.length + " does not match its name length "
                + length);
        }
        return length;
    }

    private static void checkStateLength(byte[] value) {
        if (value.length != STATE_BYTES) {
            throw new IllegalArgumentException("state value has " + value.length + " bytes, expected " + STATE_BYTES);
        }
    }
}
