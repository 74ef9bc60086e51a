package io.courier.broker.peer;

import java.util.Arrays;

/**
 * A peer's ROUTER routing id, usable as a map key. Immutable: the array is never changed after construction.
 */
public final class PeerId {
    private final byte[] bytes;
    private final int hash;

    public PeerId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** The routing id to put in front of a message to this peer. Do not change it. */
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder hex = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }
}
