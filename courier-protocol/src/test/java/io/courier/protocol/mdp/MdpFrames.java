package io.courier.protocol.mdp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds and prints frame arrays for the Majordomo codec tests. */
final class MdpFrames {
    static final byte[] EMPTY = new byte[0];
    static final byte[] C01 = ascii("MDPC01");
    static final byte[] W01 = ascii("MDPW01");
    static final byte[] C02 = ascii("MDPC02");
    static final byte[] W02 = ascii("MDPW02");

    private MdpFrames() {
    }

    /** Frames from parts: a {@code byte[]} is taken as is, a {@code String} as UTF-8, an {@code Integer} as 1 byte. */
    static byte[][] frames(Object... parts) {
        List<byte[]> out = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof byte[] bytes) {
                out.add(bytes);
            } else if (part instanceof String text) {
                out.add(utf8(text));
            } else if (part instanceof Integer command) {
                out.add(new byte[] {command.byteValue()});
            } else {
                throw new IllegalArgumentException("unsupported frame part " + part);
            }
        }
        return out.toArray(new byte[0][]);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** A string of {@code n} bytes of ASCII. */
    static String name(int n) {
        return "s".repeat(n);
    }

    static List<String> texts(byte[][] frames) {
        List<String> out = new ArrayList<>();
        for (byte[] f : frames) {
            out.add(new String(f, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The frames as hex, one bracketed frame each, for failure messages. */
    static String hex(byte[][] frames) {
        StringBuilder sb = new StringBuilder().append(frames.length).append(" frames:");
        for (byte[] f : frames) {
            sb.append(" [");
            for (byte b : f) {
                sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            sb.append(']');
        }
        return sb.toString();
    }

    static byte[][] copy(byte[][] frames) {
        byte[][] out = new byte[frames.length][];
        for (int i = 0; i < frames.length; i++) {
            out[i] = Arrays.copyOf(frames[i], frames[i].length);
        }
        return out;
    }
}
