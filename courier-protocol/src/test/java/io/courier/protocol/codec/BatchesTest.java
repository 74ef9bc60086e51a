package io.courier.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.protocol.Command;
import io.courier.protocol.Headers;
import io.courier.protocol.Property;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.RandomFrames;
import io.courier.protocol.codec.NativeMessage.Ack;
import io.courier.protocol.codec.NativeMessage.Confirm;
import io.courier.protocol.codec.NativeMessage.Done;
import io.courier.protocol.codec.NativeMessage.Heartbeat;
import io.courier.protocol.codec.NativeMessage.Reply;
import io.courier.protocol.codec.NativeMessage.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** BATCH (protocol 4.14): packing, unpacking, and every malformed packing a ProtocolException. */
@Timeout(10)
class BatchesTest {
    private static final Headers HEADERS = Headers.of(Map.of("traceparent", "00-abc-def-01"));

    @Test
    void shouldCarryEachMessageAsItWouldTravelAlone() {
        List<NativeMessage> sent = List.of(
                new Request(7, "echo", 1_000, HEADERS, bytes("one")),
                new Reply(-1, Headers.EMPTY, new byte[0]),
                new Done(3, HEADERS, new byte[70_000]),
                new Confirm(9, "orders", 12, true),
                new Ack(5, new long[] {1, 2, 3}));
        Batches.Packer packer = new Batches.Packer(16);
        sent.forEach(packer::add);
        assertThat(packer.count()).isEqualTo(5);

        byte[][] frames = packer.frames();
        assertThat(frames.length).isEqualTo(3);
        assertThat(Batches.isBatch(frames)).isTrue();
        assertThat(packer.count()).isZero();
        List<byte[][]> messages = Batches.unpack(frames);
        assertThat(messages).hasSize(5);
        for (int i = 0; i < sent.size(); i++) {
            byte[][] alone = NativeCodec.frames(NativeCodec.encode(sent.get(i)));
            assertThat(messages.get(i)).isDeepEqualTo(alone);
            assertThat(NativeCodec.decode(messages.get(i)).command()).isEqualTo(sent.get(i).command());
        }
    }

    @Test
    void shouldBeReusableAndRestorable() {
        Batches.Packer packer = new Batches.Packer(16);
        packer.add(new Request(1, "a", 0, Headers.EMPTY, bytes("x")));
        byte[][] first = packer.frames();
        packer.add(new Request(2, "b", 0, Headers.EMPTY, bytes("y")));
        packer.add(new Request(3, "c", 0, Headers.EMPTY, bytes("z")));
        byte[][] refused = packer.frames();
        packer.restore(refused);   // a full queue: it goes with the next flush, with what came since
        packer.add(new Request(4, "d", 0, Headers.EMPTY, bytes("w")));
        List<Long> ids = Batches.unpack(packer.frames()).stream()
                .map(m -> ((Request) NativeCodec.decode(m)).correlationId()).toList();
        assertThat(ids).containsExactly(2L, 3L, 4L);
        assertThat(Batches.unpack(first)).hasSize(1);
    }

    @Test
    void shouldRefuseCommandsThatTravelAlone() {
        Batches.Packer packer = new Batches.Packer(16);
        assertThatThrownBy(() -> packer.add(new Heartbeat())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HEARTBEAT");
        assertThatThrownBy(packer::frames).isInstanceOf(IllegalStateException.class);
        for (Command command : Command.values()) {
            boolean travels = switch (command) {
                case REQUEST, REPLY, ERROR, JOB, DONE, FAIL, ENQUEUE, CONFIRM, DELIVER, ACK, NACK -> true;
                default -> false;
            };
            assertThat(Batches.packable(command)).as(command.name()).isEqualTo(travels);
        }
        byte[][] hello = NativeCodec.frames(NativeCodec.encode(new NativeMessage.Hello(Headers.EMPTY)));
        assertThatThrownBy(() -> Batches.requirePackable(hello)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("HELLO may not travel in a BATCH");
        byte[][] unknown = {hello[0], {(byte) 0x7F}};
        assertThatThrownBy(() -> Batches.requirePackable(unknown)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void shouldRejectMalformedPackingAsAWhole() {
        byte[] crr1 = bytes("CRR1");
        byte[] batch = {Command.BATCH.id()};
        assertMalformed(new byte[][] {crr1, batch}, "3 frames");
        assertMalformed(new byte[][] {crr1, batch, {}}, "message count");
        assertMalformed(new byte[][] {crr1, batch, {0, 0}}, "got 0");
        assertMalformed(new byte[][] {crr1, batch, {0, 1, 0}}, "no frames");
        assertMalformed(new byte[][] {crr1, batch, {0, 1, 1, 0, 0, 0, 9, 3}}, "passes the end");
        assertMalformed(new byte[][] {crr1, batch, {0, 1, 1, 0, 0, 0, 1, 3, 42}}, "bytes left");
        assertMalformed(new byte[][] {crr1, batch, {0, 2, 1, 0, 0, 0, 1, 3}}, "frame count");
    }

    @Test
    void shouldUnpackMutatedBatchesOrThrowProtocolException() {
        Property.forAllFrames("BATCH unpack of mutated batches", 5_000, random -> {
            Batches.Packer packer = new Batches.Packer(16);
            int count = 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                packer.add(new Request(random.nextLong(), "svc", random.nextInt(1_000), Headers.EMPTY,
                        new byte[random.nextInt(40)]));
            }
            return RandomFrames.mutate(random, packer.frames());
        }, frames -> {
            try {
                for (byte[][] message : Batches.unpack(frames)) {
                    assertThat(message.length).isBetween(2, Batches.MAX_FRAMES + 1);
                    Batches.requirePackable(message);
                    NativeCodec.decode(message);
                }
            } catch (ProtocolException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        });
    }

    @Test
    void shouldDeliverEachMessageInOrderAndSkipOnlyTheOnesThatCannotTravel() {
        Batches.Packer packer = new Batches.Packer(16);
        packer.add(new Request(1, "a", 0, Headers.EMPTY, bytes("x")));
        packer.add(new Ack(5, new long[] {1}));
        packer.add(new Request(2, "b", 0, Headers.EMPTY, bytes("y")));
        byte[][] batch = packer.frames();
        byte[] payload = batch[2];
        byte[] hello = {1, 0, 0, 0, 1, Command.HELLO.id()};   // one frame: the HELLO command, which travels alone
        byte[] spliced = Arrays.copyOf(payload, payload.length + hello.length);
        System.arraycopy(hello, 0, spliced, payload.length, hello.length);
        spliced[1] = 4;   // the count, big-endian: the three packed messages and the HELLO
        batch[2] = spliced;
        int requestFrames = NativeCodec.frames(NativeCodec.encode(new Request(1, "a", 0, Headers.EMPTY,
                bytes("x")))).length;

        List<String> seen = new ArrayList<>();
        Batches.Receiver receiver = new Batches.Receiver() {
            @Override
            public void onMessage(byte[][] frames) {
                seen.add(NativeCodec.decode(frames).command().name());
            }

            @Override
            public void onMalformed(String reason, String detail) {
                seen.add(reason + ": " + detail);
            }
        };
        Batches.deliver(batch, Batches.MAX_FRAMES, receiver);
        assertThat(seen).hasSize(4).startsWith("REQUEST", "ACK", "REQUEST");
        assertThat(seen.get(3)).startsWith("unexpected_command: HELLO may not travel in a BATCH");

        seen.clear();
        Batches.deliver(batch, requestFrames - 1, receiver);
        assertThat(seen).hasSize(4);
        assertThat(seen.get(0)).startsWith("too_many_frames: " + requestFrames + " frames");
        assertThat(seen.get(1)).isEqualTo("ACK");

        seen.clear();
        Batches.deliver(new byte[][] {batch[0], batch[1], {0, 1, 0}}, Batches.MAX_FRAMES, receiver);
        assertThat(seen).containsExactly("bad_frames: " + messageOf(() -> Batches.unpack(
                new byte[][] {batch[0], batch[1], {0, 1, 0}})));
    }

    private static String messageOf(Runnable action) {
        try {
            action.run();
            throw new AssertionError("expected a ProtocolException");
        } catch (ProtocolException e) {
            return e.getMessage();
        }
    }

    private static void assertMalformed(byte[][] frames, String problem) {
        assertThatThrownBy(() -> Batches.unpack(frames)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining(problem);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
