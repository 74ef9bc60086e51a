package io.courier.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generators for the codec properties: arbitrary frames, valid UTF-8 text of a bounded size, and mutations of a
 * valid encoding (truncate, extend, flip bytes, swap, drop, duplicate or insert frames). Sizes lean towards the
 * edges that decoders check: 0, 1, 2, 4, 8, 255, 256 and 65,535 bytes.
 */
public final class RandomFrames {
    private static final int[] EDGE_SIZES = {0, 0, 1, 1, 2, 3, 4, 5, 7, 8, 9, 254, 255, 256};
    /** Code points of 1, 2, 3 and 4 bytes in UTF-8, and the replacement character. */
    private static final int[] SAMPLE_CODE_POINTS = {'a', 'Z', '0', ' ', '.', 0xE9, 0x3A9, 0x20AC, 0x4E2D, 0xFFFD,
        0x1F600, 0x10348};

    private RandomFrames() {
    }

    /** Any number of frames (0 to 12, now and then up to 80) of any size and content. */
    public static byte[][] arbitrary(Random random) {
        int count = random.nextInt(20) == 0 ? random.nextInt(81) : random.nextInt(13);
        byte[][] frames = new byte[count][];
        for (int i = 0; i < count; i++) {
            frames[i] = frame(random);
        }
        return frames;
    }

    /** One frame of any content; its size is an edge size, small, or now and then large. */
    public static byte[] frame(Random random) {
        int pick = random.nextInt(20);
        int size;
        if (pick < 10) {
            size = EDGE_SIZES[random.nextInt(EDGE_SIZES.length)];
        } else if (pick < 19) {
            size = random.nextInt(64);
        } else {
            size = random.nextInt(70_000);
        }
        return bytes(random, size);
    }

    public static byte[] bytes(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    /** {@code first}, then frames from {@link #arbitrary}. */
    public static byte[][] startingWith(Random random, byte[]... first) {
        byte[][] rest = arbitrary(random);
        byte[][] out = Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, out, first.length, rest.length);
        return out;
    }

    /** Valid text of {@code minBytes} to {@code maxBytes} bytes of UTF-8 (mixing 1- to 4-byte characters). */
    public static String text(Random random, int minBytes, int maxBytes) {
        int target = minBytes + random.nextInt(maxBytes - minBytes + 1);
        StringBuilder sb = new StringBuilder();
        int size = 0;
        while (size < target) {
            int cp = random.nextInt(3) == 0 ? SAMPLE_CODE_POINTS[random.nextInt(SAMPLE_CODE_POINTS.length)]
                    : 'a' + random.nextInt(26);
            int width = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (size + width > maxBytes) {
                cp = 'x';
                width = 1;
            }
            sb.appendCodePoint(cp);
            size += width;
        }
        return sb.toString();
    }

    /** Valid headers: none, or up to 5 entries; keys 1 to 255 bytes, values now and then up to 65,535 bytes. */
    public static Headers headers(Random random) {
        int count = random.nextInt(4) == 0 ? 0 : random.nextInt(6);
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String key = text(random, 1, random.nextInt(10) == 0 ? 255 : 16);
            String value = text(random, 0, random.nextInt(100) == 0 ? 65_535 : 64);
            map.put(key, value);
        }
        return Headers.of(map);
    }

    /** One to three mutations of {@code valid} (not changed): the frames of a message a peer got subtly wrong. */
    public static byte[][] mutate(Random random, byte[][] valid) {
        List<byte[]> frames = new ArrayList<>(Arrays.asList(Property.copy(valid)));
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            mutateOnce(random, frames);
        }
        return frames.toArray(new byte[0][]);
    }

    private static void mutateOnce(Random random, List<byte[]> frames) {
        if (frames.isEmpty()) {
            frames.add(frame(random));
            return;
        }
        int i = random.nextInt(frames.size());
        byte[] f = frames.get(i);
        switch (random.nextInt(9)) {
            case 0 -> frames.set(i, Arrays.copyOf(f, f.length == 0 ? 0 : random.nextInt(f.length)));   // truncate
            case 1 -> {   // extend
                byte[] more = Arrays.copyOf(f, f.length + 1 + random.nextInt(8));
                for (int b = f.length; b < more.length; b++) {
                    more[b] = (byte) random.nextInt(256);
                }
                frames.set(i, more);
            }
            case 2, 3 -> {   // flip one byte
                if (f.length > 0) {
                    f[random.nextInt(f.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 4 -> {   // swap two frames
                int j = random.nextInt(frames.size());
                frames.set(i, frames.get(j));
                frames.set(j, f);
            }
            case 5 -> frames.remove(i);
            case 6 -> frames.add(i, f.clone());
            case 7 -> frames.add(random.nextInt(frames.size() + 1), frame(random));
            default -> frames.set(i, frame(random));   // replace
        }
    }
}
