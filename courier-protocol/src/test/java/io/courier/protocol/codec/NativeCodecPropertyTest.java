package io.courier.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.protocol.Command;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.Property;
import io.courier.protocol.RandomFrames;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZMsg;

/**
 * Properties of the native codec over every command, the stream commands included (docs/protocol.md, sections 4
 * and 9): valid messages survive encode then decode; any frames, and valid encodings a peer got wrong, either
 * decode or fail with {@link ProtocolException} and nothing else; and whatever decodes can be encoded again to
 * the same message, since the broker forwards what it decodes (REQUEST headers in a JOB, a PUBLISH topic in
 * EVENTs).
 */
@Timeout(30)
class NativeCodecPropertyTest {
    private static final int TRIES = 5_000;
    private static final byte[] CRR1 = "CRR1".getBytes(StandardCharsets.US_ASCII);
    private static final Command[] COMMANDS = Command.values();

    @Test
    void shouldRoundTripEveryValidMessage() {
        Set<Command> seen = EnumSet.noneOf(Command.class);
        Property.forAll("native round trip", TRIES, RandomMessages::any, RandomMessages::show, message -> {
            byte[][] frames = frames(NativeCodec.encode(message));
            NativeMessage decoded = NativeCodec.decode(frames);
            assertThat(RandomMessages.same(decoded, message)).as("decoded %s", RandomMessages.show(decoded))
                    .isTrue();
            seen.add(message.command());
        });
        assertThat(seen).containsExactlyInAnyOrder(RandomMessages.COMMANDS);
    }

    @Test
    void shouldDecodeArbitraryFramesOrThrowProtocolException() {
        Property.forAllFrames("native decode of arbitrary frames", TRIES, random -> switch (random.nextInt(3)) {
            case 0 -> RandomFrames.arbitrary(random);
            case 1 -> RandomFrames.startingWith(random, CRR1, new byte[] {(byte) random.nextInt(256)});
            default -> RandomFrames.startingWith(random, CRR1,
                    new byte[] {COMMANDS[random.nextInt(COMMANDS.length)].id()});
        }, NativeCodecPropertyTest::decodesOrRejects);
    }

    @Test
    void shouldDecodeMutatedEncodingsOrThrowProtocolException() {
        Set<Command> decodedAfterMutation = EnumSet.noneOf(Command.class);
        Property.forAllFrames("native decode of mutated encodings", TRIES,
                random -> RandomFrames.mutate(random, frames(NativeCodec.encode(RandomMessages.any(random)))),
                frames -> {
                    NativeMessage decoded = decodesOrRejects(frames);
                    if (decoded != null) {
                        decodedAfterMutation.add(decoded.command());
                    }
                });
        assertThat(decodedAfterMutation).as("mutations that still decode (a flipped body byte, ...)")
                .hasSizeGreaterThan(RandomMessages.COMMANDS.length / 2);
    }

    @Test
    void shouldRejectAnotherFrameCountForEveryFixedSizeCommand() {
        Property.forAll("native frame count is exact", TRIES, RandomMessages::any, RandomMessages::show, message -> {
            byte[][] frames = frames(NativeCodec.encode(message));
            byte[][] fewer = Arrays.copyOf(frames, frames.length - 1);
            byte[][] more = Arrays.copyOf(frames, frames.length + 1);
            more[frames.length] = new byte[0];
            Command command = message.command();
            boolean eventWithBodyToSpare = command == Command.EVENT && frames.length > 8;
            if (command != Command.DISCONNECT && !eventWithBodyToSpare) {   // DISCONNECT: 2 or 3 frames
                assertThatThrownBy(() -> NativeCodec.decode(fewer)).isInstanceOf(ProtocolException.class);
            }
            if (command != Command.EVENT) {        // EVENT: 8 frames or more
                assertThatThrownBy(() -> NativeCodec.decode(more)).isInstanceOf(ProtocolException.class);
            }
        });
    }

    /**
     * The property every decoder of network bytes must keep: a message or {@link ProtocolException}, the input
     * left as it was, and a decoded message that encodes again to itself. Returns the message, or null.
     */
    static NativeMessage decodesOrRejects(byte[][] frames) {
        byte[][] before = Property.copy(frames);
        NativeMessage decoded = null;
        try {
            if (NativeCodec.hasCorrelationId(frames)) {
                NativeCodec.correlationId(frames);
            }
            decoded = NativeCodec.decode(frames);
        } catch (ProtocolException rejected) {
            // the one allowed failure
        }
        assertThat(frames).as("input left unchanged").isDeepEqualTo(before);
        if (decoded != null) {
            NativeMessage again = NativeCodec.decode(frames(NativeCodec.encode(decoded)));
            assertThat(RandomMessages.same(again, decoded)).as("%s encodes and decodes again to itself, got %s",
                    RandomMessages.show(decoded), RandomMessages.show(again)).isTrue();
        }
        return decoded;
    }

    static byte[][] frames(ZMsg msg) {
        byte[][] out = new byte[msg.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = msg.pop().getData();
        }
        return out;
    }
}
