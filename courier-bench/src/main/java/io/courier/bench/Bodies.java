package io.courier.bench;

/** The message bodies of every benchmark. Stateless. */
public final class Bodies {
    private Bodies() {
    }

    /** A body of {@code size} bytes with a fixed pattern; a run shares it among its messages and never changes it. */
    public static byte[] pattern(int size) {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        return body;
    }
}
