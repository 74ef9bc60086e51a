package io.courier.protocol.mdp;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.protocol.Command;
import io.courier.protocol.Headers;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Event;
import io.courier.protocol.codec.NativeMessage.EventBatch;
import io.courier.protocol.codec.NativeMessage.PublishBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZMsg;

/**
 * Property-style checks without a property library: seeded random frame arrays fed to the decoders that face the
 * network. A peer's bytes may only ever end in a decoded message or a {@link ProtocolException}; anything else
 * would escape the broker's per-frame handling as an unexpected failure. Decoding must not change its input.
 */
@Timeout(10)
class DecodeFuzzTest {
    private static final int CASES = 20_000;
    private static final int MAX_REPORTED = 10;
    private static final byte[] CRR1 = "CRR1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][][] MDP_HEADS = {
        {MdpFrames.EMPTY, MdpFrames.C01},
        {MdpFrames.EMPTY, MdpFrames.W01},
        {MdpFrames.C02},
        {MdpFrames.W02},
    };
    private static final int[] SIZES = {0, 0, 1, 1, 2, 4, 8, 255, 256};
    /** Every command NativeCodec decodes: BATCH is unpacked by {@code Batches} (fuzzed in BatchesTest). */
    private static final Command[] COMMANDS = Arrays.stream(Command.values()).filter(c -> c != Command.BATCH)
            .toArray(Command[]::new);
    private static final int[] ERROR_CODES = {0, 400, 404, 408, 429, 500, 503, 999, 65_535};
    /** The fields after the command frame, per command: see {@link #field}. */
    private static final Map<Command, String> FIELDS = new EnumMap<>(Map.ofEntries(
            Map.entry(Command.HELLO, "h"),
            Map.entry(Command.WELCOME, "h"),
            Map.entry(Command.REQUEST, "8s4hb"),
            Map.entry(Command.REPLY, "8hb"),
            Map.entry(Command.ERROR, "82b"),
            Map.entry(Command.HEARTBEAT, ""),
            Map.entry(Command.DISCONNECT, "b"),
            Map.entry(Command.READY, "s4h"),
            Map.entry(Command.JOB, "84hb"),
            Map.entry(Command.DONE, "8hb"),
            Map.entry(Command.FAIL, "82b"),
            Map.entry(Command.STATUS, "8"),
            Map.entry(Command.STATUS_REPLY, "8b"),
            Map.entry(Command.PUBLISH, "8shb"),
            Map.entry(Command.PUBACK, "8sq"),
            Map.entry(Command.SUBSCRIBE, "8s1q1m"),
            Map.entry(Command.SUBSCRIBED, "8m"),
            Map.entry(Command.UNSUBSCRIBE, "8"),
            Map.entry(Command.EVENT, "8sqqhb"),
            Map.entry(Command.LOSS, "8sqqb"),
            Map.entry(Command.REPLAY, "8sqq"),
            Map.entry(Command.UNSUBSCRIBED, "8b"),
            Map.entry(Command.PUBLISH_BATCH, "8P"),
            Map.entry(Command.PUBACK_BATCH, "8T"),
            Map.entry(Command.EVENT_BATCH, "8E"),
            Map.entry(Command.ENQUEUE, "8sb4hb"),
            Map.entry(Command.CONFIRM, "8sq1"),
            Map.entry(Command.CONSUME, "8s4"),
            Map.entry(Command.CONSUMING, "8s"),
            Map.entry(Command.DELIVER, "8sqMhb"),
            Map.entry(Command.ACK, "8T"),
            Map.entry(Command.NACK, "8q14"),
            Map.entry(Command.CANCEL, "8"),
            Map.entry(Command.CANCELLED, "8b"),
            Map.entry(Command.QUEUE_ADMIN, "81s4"),
            Map.entry(Command.QUEUE_ADMIN_REPLY, "84Mhb")));

    @Test
    void shouldThrowOnlyProtocolExceptionFromMdpDecode() {
        Random random = new Random(0x4D44_5030_3031L);
        Outcomes outcomes = new Outcomes();

        for (int i = 0; i < CASES; i++) {
            byte[][] frames = i % 2 == 0 ? randomFrames(random) : mdpShaped(random);
            outcomes.run(i, frames, f -> {
                MdpCodec.isMajordomo(f);
                return MdpCodec.decode(f).getClass().getSimpleName();
            });
        }

        outcomes.assertOnlyProtocolExceptions();
        assertThat(outcomes.decoded).as("kinds of message decoded")
                .contains("ClientRequest", "WorkerReady", "WorkerReply", "WorkerHeartbeat", "WorkerDisconnect");
    }

    @Test
    void shouldThrowOnlyProtocolExceptionFromNativeDecode() {
        Random random = new Random(0x4352_5231L);
        Outcomes outcomes = new Outcomes();
        Set<Command> decodedCommands = EnumSet.noneOf(Command.class);

        for (int i = 0; i < CASES; i++) {
            byte[][] frames = switch (i % 4) {
                case 0 -> randomFrames(random);
                case 1 -> crr1Shaped(random);
                default -> crr1Fields(random);
            };
            outcomes.run(i, frames, f -> {
                NativeMessage message = NativeCodec.decode(f);
                decodedCommands.add(message.command());
                return message.command().name();
            });
        }

        outcomes.assertOnlyProtocolExceptions();
        assertThat(decodedCommands).as("commands decoded at least once").containsExactlyInAnyOrder(COMMANDS);
    }

    /** Any count of frames of any size and content. */
    private static byte[][] randomFrames(Random random) {
        byte[][] frames = new byte[random.nextInt(9)][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = randomFrame(random);
        }
        return frames;
    }

    /** A Majordomo header of either version, then a command frame (mostly a plausible byte), then anything. */
    private static byte[][] mdpShaped(Random random) {
        byte[][] head = MDP_HEADS[random.nextInt(MDP_HEADS.length)];
        List<byte[]> frames = new ArrayList<>(List.of(head));
        boolean client01 = head.length == 2 && head[1] == MdpFrames.C01;
        if (!client01 && random.nextInt(10) > 0) {
            frames.add(random.nextInt(5) > 0 ? new byte[] {(byte) random.nextInt(8)} : randomFrame(random));
        }
        int more = random.nextInt(6);
        for (int i = 0; i < more; i++) {
            frames.add(random.nextInt(4) == 0 ? MdpFrames.EMPTY : randomFrame(random));
        }
        return frames.toArray(new byte[0][]);
    }

    /** {@code CRR1}, a command frame (mostly a known command), then random frames or field-sized ones. */
    private static byte[][] crr1Shaped(Random random) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(CRR1);
        int pick = random.nextInt(10);
        if (pick < 7) {
            frames.add(new byte[] {COMMANDS[random.nextInt(COMMANDS.length)].id()});
        } else if (pick < 9) {
            frames.add(new byte[] {(byte) random.nextInt(256)});
        } else {
            frames.add(bytes(random, random.nextInt(4)));
        }
        int more = random.nextInt(8);
        for (int i = 0; i < more; i++) {
            frames.add(random.nextInt(5) == 0 ? headersFrame(random) : randomFrame(random));
        }
        return frames.toArray(new byte[0][]);
    }

    /**
     * {@code CRR1}, a known command and frames sized for that command's fields (docs/protocol.md, section 4), so
     * that decoding gets past the frame count and reaches every field check; then, half the time, one mutation:
     * a frame dropped, added, or resized.
     */
    private static byte[][] crr1Fields(Random random) {
        Command command = COMMANDS[random.nextInt(COMMANDS.length)];
        List<byte[]> frames = new ArrayList<>();
        frames.add(CRR1);
        frames.add(new byte[] {command.id()});
        for (char field : FIELDS.get(command).toCharArray()) {
            frames.add(field(random, field));
        }
        switch (random.nextInt(8)) {
            case 0 -> frames.remove(frames.size() - 1);
            case 1 -> frames.add(randomFrame(random));
            case 2, 3 -> {
                if (frames.size() > 2) {
                    frames.set(2 + random.nextInt(frames.size() - 2), randomFrame(random));
                }
            }
            default -> {
                // left as generated: well-sized fields with random values
            }
        }
        return frames.toArray(new byte[0][]);
    }

    /**
     * One field: 8/4/2 = an integer of that many bytes; s = a service, topic or queue (half of them ASCII
     * names); h = headers; b = a body or text; q = a seq (often small); 1 = a one-byte code (start, policy,
     * flag); m = a seq map (topic to decimal seq); M = a queue message's 20-byte meta (seq, deliveries, enqueue
     * time); T = a frame of tags or seqs (8 bytes each); P and E = the packed entries of a PUBLISH_BATCH or an
     * EVENT_BATCH, valid, cut short or corrupted.
     */
    private static byte[] field(Random random, char kind) {
        return switch (kind) {
            case '8' -> bytes(random, 8);
            case '4' -> random.nextBoolean() ? bytes(random, 4) : u32(random.nextInt(5));
            case '2' -> random.nextBoolean() ? bytes(random, 2) : u16(ERROR_CODES[random.nextInt(ERROR_CODES.length)]);
            case 's' -> random.nextBoolean() ? ("n" + random.nextInt(1_000)).getBytes(StandardCharsets.US_ASCII)
                    : bytes(random, random.nextInt(10) == 0 ? 256 : 1 + random.nextInt(255));
            case 'h' -> random.nextInt(3) == 0 ? new byte[0] : headersFrame(random);
            case 'b' -> bytes(random, random.nextInt(64));
            case 'q' -> random.nextBoolean() ? bytes(random, 8) : u64(random.nextInt(5));
            case '1' -> random.nextInt(4) == 0 ? bytes(random, random.nextInt(3))
                    : new byte[] {(byte) random.nextInt(6)};
            case 'm' -> switch (random.nextInt(3)) {
                case 0 -> new byte[0];
                case 1 -> Headers.of(Map.of("t" + random.nextInt(9), Integer.toString(random.nextInt(99)))).encode();
                default -> headersFrame(random);
            };
            case 'M' -> random.nextBoolean() ? bytes(random, random.nextInt(4) == 0 ? 19 : 20)
                    : meta(1 + random.nextInt(5), random.nextInt(3), random.nextInt(1_000));
            case 'P' -> packed(random, NativeCodec.encode(new PublishBatch(1, List.of(new PublishBatch.Entry(
                    "t" + random.nextInt(9), Headers.EMPTY, bytes(random, random.nextInt(9)))))));
            case 'E' -> packed(random, NativeCodec.encode(new EventBatch(1, List.of(new Event(1,
                    "t" + random.nextInt(9), 1 + random.nextInt(5), random.nextInt(1_000), Headers.EMPTY,
                    new byte[][] {bytes(random, random.nextInt(9))})))));
            case 'T' -> random.nextInt(4) == 0 ? bytes(random, random.nextInt(20))
                    : u64(random.nextInt(5));
            default -> throw new IllegalStateException("unknown field kind " + kind);
        };
    }

    private static byte[] u64(long value) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) (value >>> (8 * (7 - i)));
        }
        return b;
    }

    /** The entries frame (the last) of an encoded batch: whole, cut short, or with one byte changed. */
    private static byte[] packed(Random random, ZMsg encoded) {
        byte[] valid = encoded.getLast().getData();
        return switch (random.nextInt(3)) {
            case 0 -> valid;
            case 1 -> Arrays.copyOf(valid, random.nextInt(valid.length));
            default -> {
                valid[random.nextInt(valid.length)] = (byte) random.nextInt(256);
                yield valid;
            }
        };
    }

    private static byte[] meta(long seq, int deliveries, long enqueuedAt) {
        byte[] meta = new byte[20];
        System.arraycopy(u64(seq), 0, meta, 0, 8);
        System.arraycopy(u32(deliveries), 0, meta, 8, 4);
        System.arraycopy(u64(enqueuedAt), 0, meta, 12, 8);
        return meta;
    }

    private static byte[] u32(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static byte[] u16(int value) {
        return new byte[] {(byte) (value >>> 8), (byte) value};
    }

    /** A headers frame: valid, cut short, or with a corrupted byte. */
    private static byte[] headersFrame(Random random) {
        byte[] valid = Headers.of(Map.of("k" + random.nextInt(100), "v".repeat(random.nextInt(40)))).encode();
        return switch (random.nextInt(3)) {
            case 0 -> valid;
            case 1 -> Arrays.copyOf(valid, random.nextInt(valid.length));
            default -> {
                valid[random.nextInt(valid.length)] = (byte) random.nextInt(256);
                yield valid;
            }
        };
    }

    private static byte[] randomFrame(Random random) {
        int size = random.nextInt(3) == 0 ? random.nextInt(40) : SIZES[random.nextInt(SIZES.length)];
        return bytes(random, size);
    }

    private static byte[] bytes(Random random, int size) {
        byte[] frame = new byte[size];
        random.nextBytes(frame);
        return frame;
    }

    /** Tallies what each input ended in; keeps the first few inputs that threw something unexpected. */
    private static final class Outcomes {
        final Set<String> decoded = new TreeSet<>();
        final List<String> failures = new ArrayList<>();
        int rejected;
        int unexpected;

        void run(int caseNo, byte[][] frames, Function<byte[][], String> decoder) {
            byte[][] before = MdpFrames.copy(frames);
            try {
                decoded.add(decoder.apply(frames));
            } catch (ProtocolException expected) {
                rejected++;
            } catch (Throwable t) {   // the property under test: nothing else may come out of a decoder
                unexpected++;
                if (failures.size() < MAX_REPORTED) {
                    failures.add("case " + caseNo + ": " + t + " on " + MdpFrames.hex(before));
                }
            }
            assertThat(frames).as("input of case %d is unchanged", caseNo).isDeepEqualTo(before);
        }

        void assertOnlyProtocolExceptions() {
            assertThat(failures).as("inputs that threw something other than ProtocolException (%d in all)",
                    unexpected).isEmpty();
            assertThat(rejected).as("inputs rejected").isPositive();
        }
    }
}
