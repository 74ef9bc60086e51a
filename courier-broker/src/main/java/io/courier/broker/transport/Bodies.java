package io.courier.broker.transport;

/** Joins multi-frame (Majordomo) bodies into the single body frame the native protocol carries. Stateless. */
final class Bodies {
    private Bodies() {
    }

    static byte[] join(byte[][] frames) {
        if (frames.length == 1) {
            return frames[0];
        }
        int size = 0;
        for (byte[] f : frames) {
            size += f.length;
        }
        byte[] joined = new byte[size];
        int at = 0;
        for (byte[] f : frames) {
            System.arraycopy(f, 0, joined, at, f.length);
            at += f.length;
        }
        return joined;
    }

    static long u64(byte[] b) {
        long value = 0;
        for (byte x : b) {
            value = (value << 8) | (x & 0xFF);
        }
        return value;
    }

    static byte[] u64(long value) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        return b;
    }
}
