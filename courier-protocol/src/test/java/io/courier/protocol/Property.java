package io.courier.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small property runner for the codec tests: draws {@code tries} inputs from a generator, runs a check on each,
 * and on the first failure shrinks the input (when it is frames) and fails with the property's name, the seed,
 * the try and the smallest failing input. Deterministic: each property has a fixed seed derived from its name,
 * so CI never flakes; {@code -Dcourier.property.seed=<n>} explores other inputs, and a failure prints the seed
 * and try that replays it. Try {@code t} draws from {@code new Random(seed * 31 + t)}, so a try replays alone.
 */
public final class Property {
    private static final int MAX_SHRINK_STEPS = 2_000;

    private Property() {
    }

    /** Checks {@code check} on {@code tries} values from {@code gen}; {@code show} prints a failing value. */
    public static <T> void forAll(String name, int tries, Function<Random, T> gen, Function<T, String> show,
                                  Consumer<T> check) {
        long seed = seed(name);
        for (int t = 0; t < tries; t++) {
            T value = gen.apply(new Random(seed * 31 + t));
            Throwable failure = failure(check, value);
            if (failure != null) {
                throw new AssertionError("property '" + name + "' failed [seed=" + seed + ", try=" + t + "]: "
                        + failure + "\n  input: " + show.apply(value), failure);
            }
        }
    }

    /** Like {@link #forAll} for frames, shrinking a failing input before reporting it. */
    public static void forAllFrames(String name, int tries, Function<Random, byte[][]> gen, Consumer<byte[][]> check) {
        long seed = seed(name);
        for (int t = 0; t < tries; t++) {
            byte[][] value = gen.apply(new Random(seed * 31 + t));
            Throwable failure = failure(check, copy(value));
            if (failure != null) {
                byte[][] small = shrink(value, check);
                Throwable smallFailure = failure(check, copy(small));
                throw new AssertionError("property '" + name + "' failed [seed=" + seed + ", try=" + t + "]: "
                        + smallFailure + "\n  shrunk input: " + hex(small) + "\n  original input: " + hex(value),
                        smallFailure);
            }
        }
    }

    /** The frames as hex, one bracketed frame each (long frames cut), for failure messages. */
    public static String hex(byte[][] frames) {
        StringBuilder sb = new StringBuilder().append(frames.length).append(" frames:");
        for (byte[] f : frames) {
            sb.append(" [");
            int shown = Math.min(f.length, 64);
            for (int i = 0; i < shown; i++) {
                sb.append(Character.forDigit((f[i] >> 4) & 0xF, 16)).append(Character.forDigit(f[i] & 0xF, 16));
            }
            if (shown < f.length) {
                sb.append("... ").append(f.length).append(" bytes");
            }
            sb.append(']');
        }
        return sb.toString();
    }

    public static byte[][] copy(byte[][] frames) {
        byte[][] out = new byte[frames.length][];
        for (int i = 0; i < frames.length; i++) {
            out[i] = frames[i].clone();
        }
        return out;
    }

    private static long seed(String name) {
        String configured = System.getProperty("courier.property.seed");
        return configured == null || configured.isBlank() ? name.hashCode() : Long.parseLong(configured.trim());
    }

    private static <T> Throwable failure(Consumer<T> check, T value) {
        try {
            check.accept(value);
            return null;
        } catch (Throwable t) {   // the property's verdict: any throwable is a failure to report
            return t;
        }
    }

    /** Greedy shrinking: keeps taking the first smaller candidate that still fails, until none does. */
    private static byte[][] shrink(byte[][] failing, Consumer<byte[][]> check) {
        byte[][] current = failing;
        for (int step = 0; step < MAX_SHRINK_STEPS; step++) {
            byte[][] next = null;
            for (byte[][] candidate : candidates(current)) {
                if (failure(check, copy(candidate)) != null) {
                    next = candidate;
                    break;
                }
            }
            if (next == null) {
                return current;
            }
            current = next;
        }
        return current;
    }

    /** Smaller variants: a frame removed, a frame emptied, halved or cut by a byte, a byte zeroed. */
    private static List<byte[][]> candidates(byte[][] frames) {
        List<byte[][]> out = new ArrayList<>();
        for (int i = 0; i < frames.length; i++) {
            byte[][] fewer = new byte[frames.length - 1][];
            System.arraycopy(frames, 0, fewer, 0, i);
            System.arraycopy(frames, i + 1, fewer, i, frames.length - i - 1);
            out.add(fewer);
        }
        for (int i = 0; i < frames.length; i++) {
            byte[] f = frames[i];
            if (f.length > 0) {
                out.add(with(frames, i, new byte[0]));
                out.add(with(frames, i, Arrays.copyOf(f, f.length / 2)));
                out.add(with(frames, i, Arrays.copyOfRange(f, f.length / 2, f.length)));
                out.add(with(frames, i, Arrays.copyOf(f, f.length - 1)));
            }
        }
        for (int i = 0; i < frames.length; i++) {
            for (int b = 0; b < frames[i].length && b < 64; b++) {
                if (frames[i][b] != 0) {
                    byte[] zeroed = frames[i].clone();
                    zeroed[b] = 0;
                    out.add(with(frames, i, zeroed));
                }
            }
        }
        return out;
    }

    private static byte[][] with(byte[][] frames, int index, byte[] frame) {
        byte[][] out = frames.clone();
        out[index] = frame;
        return out;
    }
}
