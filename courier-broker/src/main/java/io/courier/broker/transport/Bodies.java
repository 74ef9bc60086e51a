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
}
