package io.courier.protocol.codec;

import static io.courier.protocol.codec.StreamFrames.of;
import static io.courier.protocol.codec.StreamFrames.text;
import static io.courier.protocol.codec.StreamFrames.u64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.protocol.Command;
import io.courier.protocol.Headers;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.codec.NativeMessage.Event;
import io.courier.protocol.codec.NativeMessage.EventBatch;
import io.courier.protocol.codec.NativeMessage.PubAckBatch;
import io.courier.protocol.codec.NativeMessage.PublishBatch;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.zeromq.ZMsg;

/** PUBLISH_BATCH, PUBACK_BATCH and EVENT_BATCH: round trips, and every malformed packing a ProtocolException. */
@Timeout(10)
class StreamBatchCodecTest {
    private static final Headers HEADERS = Headers.of(Map.of("content-type", "text/plain"));

    @Test
    void shouldRoundTripAPublishBatch() {
        PublishBatch batch = new PublishBatch(-7, List.of(
                new PublishBatch.Entry("a.b", HEADERS, text("one")),
                new PublishBatch.Entry("ü", Headers.EMPTY, new byte[0]),
                new PublishBatch.Entry("t".repeat(255), Headers.EMPTY, new byte[70_000])));
        PublishBatch back = (PublishBatch) roundTrip(batch);
        assertThat(back.correlationId()).isEqualTo(-7);
        assertThat(back.entries()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(back.entries().get(i).topic()).isEqualTo(batch.entries().get(i).topic());
            assertThat(back.entries().get(i).headers()).isEqualTo(batch.entries().get(i).headers());
            assertThat(back.entries().get(i).body()).isEqualTo(batch.entries().get(i).body());
        }
    }

    @Test
    void shouldRoundTripAPubAckBatchWithARefusedEntry() {
        PubAckBatch back = (PubAckBatch) roundTrip(new PubAckBatch(-1, new long[] {5, 0, Long.MAX_VALUE}));
        assertThat(back.correlationId()).isEqualTo(-1);
        assertThat(back.seqs()).containsExactly(5, 0, Long.MAX_VALUE);
    }

    @Test
    void shouldRoundTripAnEventBatch() {
        Event first = new Event(9, "a.b", 1, 1_700_000_000_000L, HEADERS, new byte[][] {text("x")});
        Event second = new Event(9, "a.c", Long.MAX_VALUE, 0, Headers.EMPTY,
                new byte[][] {text("p"), new byte[0], text("q")});
        EventBatch back = (EventBatch) roundTrip(new EventBatch(9, List.of(first, second)));
        assertThat(back.subscriptionId()).isEqualTo(9);
        assertThat(back.events()).hasSize(2);
        assertSame(back.events().get(0), first);
        assertSame(back.events().get(1), second);
    }

    @Test
    void shouldPackWithTheEventWriterAsTheCodecDoes() {
        StreamBatches.EventWriter writer = new StreamBatches.EventWriter(16);
        for (int seq = 1; seq <= 1_000; seq++) {
            writer.add(text("s"), seq, seq * 10L, new byte[0], new byte[][] {text("body " + seq)});
        }
        assertThat(writer.count()).isEqualTo(1_000);
        byte[][] frames = writer.frames(3);
        assertThat(writer.count()).isZero();
        EventBatch batch = (EventBatch) NativeCodec.decode(frames);
        assertThat(batch.events()).hasSize(1_000);
        assertThat(batch.events().get(999).seq()).isEqualTo(1_000);
        assertThat(batch.events().get(999).subscriptionId()).isEqualTo(3);
        assertThat(new String(batch.events().get(41).body()[0])).isEqualTo("body 42");
    }

    @Test
    void shouldRefuseToEncodeAnEmptyBatch() {
        assertThatThrownBy(() -> NativeCodec.encode(new PublishBatch(1, List.of())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamBatches.EventWriter(8).frames(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldReadTheCorrelationIdOfAMalformedPublishBatch() {
        byte[][] f = of(Command.PUBLISH_BATCH, u64(-3), new byte[] {0});
        assertThat(NativeCodec.hasCorrelationId(f)).isTrue();
        assertThat(NativeCodec.correlationId(f)).isEqualTo(-3);
        assertThat(NativeCodec.hasCorrelationId(of(Command.PUBLISH_BATCH, u64(0), new byte[] {0}))).isFalse();
    }

    static Stream<Arguments> malformed() {
        byte[] onePublish = publishEntry(1, "t", 0, 0);
        byte[] oneEvent = eventEntry(1, "t", 1, 0, 0, 1, 1);
        return Stream.of(
                bad("publish batch with 3 frames", of(Command.PUBLISH_BATCH, u64(1)), "needs 4 frames"),
                bad("publish batch short id", of(Command.PUBLISH_BATCH, new byte[7], onePublish), "8 bytes"),
                bad("publish batch empty", of(Command.PUBLISH_BATCH, u64(1), new byte[0]), "no entries"),
                bad("publish zero topic", publishBatch(publishEntry(0, "", 0, 0)), "topic must be 1 to 255"),
                bad("publish topic past end", publishBatch(new byte[] {5, 'a', 'b'}), "passes the end"),
                bad("publish headers past end", publishBatch(publishEntry(1, "t", 100, 0)), "passes the end"),
                bad("publish body past end", publishBatch(publishEntry(1, "t", 0, 9)), "passes the end"),
                bad("publish huge body length", publishBatch(publishEntry(1, "t", 0, -1)), "passes the end"),
                bad("publish truncated length", publishBatch(concat(onePublish, new byte[] {1, 't', 0, 0})),
                        "passes the end"),
                bad("publish bad headers", publishBatch(concat(new byte[] {1, 't', 0, 0, 0, 2, 5, 'a'},
                        new byte[] {0, 0, 0, 0})), "malformed headers"),
                bad("publish bad utf-8 topic", publishBatch(concat(new byte[] {1, (byte) 0xFF},
                        new byte[8])), "not valid UTF-8"),
                bad("puback batch empty", of(Command.PUBACK_BATCH, u64(1), new byte[0]), "multiple of 8"),
                bad("puback batch ragged", of(Command.PUBACK_BATCH, u64(1), new byte[12]), "multiple of 8"),
                bad("puback negative seq", of(Command.PUBACK_BATCH, u64(1), u64(-1)), "out of range"),
                bad("event batch empty", of(Command.EVENT_BATCH, u64(1), new byte[0]), "no entries"),
                bad("event batch 5 frames", of(Command.EVENT_BATCH, u64(1), oneEvent, oneEvent), "needs 4 frames"),
                bad("event seq 0", eventBatch(eventEntry(1, "t", 0, 0, 0, 1, 1)), "seq out of range"),
                bad("event negative timestamp", eventBatch(eventEntry(1, "t", 1, -5, 0, 1, 1)), "timestamp"),
                bad("event no body frame", eventBatch(eventEntry(1, "t", 1, 0, 0, 0, 0)), "at least one body"),
                bad("event zero topic", eventBatch(eventEntry(0, "", 1, 0, 0, 1, 1)), "topic must be 1 to 255"),
                bad("event body past end", eventBatch(eventEntry(1, "t", 1, 0, 0, 1, 50)), "passes the end"),
                bad("event frames past end", eventBatch(eventEntry(1, "t", 1, 0, 0, 3, 1)), "passes the end"),
                bad("event headers past end", eventBatch(eventEntry(1, "t", 1, 0, 99, 1, 1)), "passes the end"),
                bad("event cut short", eventBatch(Arrays.copyOf(oneEvent, 12)), "passes the end"),
                bad("event trailing byte", eventBatch(concat(oneEvent, new byte[] {1})), "passes the end"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldRejectMalformedPacking(String name, byte[][] frames, String problem) {
        assertThatThrownBy(() -> NativeCodec.decode(frames)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void shouldOnlyEverThrowProtocolExceptionOnRandomBytes() {
        Random random = new Random(42);
        byte[] valid = eventEntry(3, "a.b", 7, 9, 0, 2, 4);
        byte[] validPublish = publishEntry(3, "a.b", 0, 4);
        for (int i = 0; i < 20_000; i++) {
            byte[] packed = (i % 2 == 0 ? valid : validPublish).clone();
            int flips = 1 + random.nextInt(4);
            for (int k = 0; k < flips; k++) {
                packed[random.nextInt(packed.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                packed = Arrays.copyOf(packed, random.nextInt(packed.length + 1));
            }
            Command command = i % 2 == 0 ? Command.EVENT_BATCH : Command.PUBLISH_BATCH;
            byte[][] frames = of(command, u64(1), packed);
            try {
                NativeCodec.decode(frames);
            } catch (ProtocolException expected) {
                // the only failure allowed
            }
        }
    }

    private static NativeMessage roundTrip(NativeMessage message) {
        ZMsg msg = NativeCodec.encode(message);
        assertThat(msg.size()).isEqualTo(4);
        return NativeCodec.decode(msg);
    }

    private static void assertSame(Event actual, Event expected) {
        assertThat(actual.topic()).isEqualTo(expected.topic());
        assertThat(actual.seq()).isEqualTo(expected.seq());
        assertThat(actual.timestampMillis()).isEqualTo(expected.timestampMillis());
        assertThat(actual.headers()).isEqualTo(expected.headers());
        assertThat(actual.body()).isDeepEqualTo(expected.body());
    }

    private static Arguments bad(String name, byte[][] frames, String problem) {
        return Arguments.of(name, frames, problem);
    }

    private static byte[][] publishBatch(byte[] packed) {
        return of(Command.PUBLISH_BATCH, u64(1), packed);
    }

    private static byte[][] eventBatch(byte[] packed) {
        return of(Command.EVENT_BATCH, u64(1), packed);
    }

    /** An entry claiming the given lengths, with {@code bodyLength} bytes of body present when it is small. */
    private static byte[] publishEntry(int topicLength, String topic, int headersLength, int bodyLength) {
        ByteBuffer b = ByteBuffer.allocate(16 + topic.length() + Math.max(0, Math.min(bodyLength, 4)));
        b.put((byte) topicLength).put(text(topic)).putInt(headersLength).putInt(bodyLength);
        if (bodyLength > 0 && bodyLength <= 4) {
            b.put(new byte[bodyLength]);
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /** An event entry with {@code frames} body frames claimed, each of {@code frameLength} bytes (present if <= 4). */
    private static byte[] eventEntry(int topicLength, String topic, long seq, long timestamp, int headersLength,
                                     int frames, int frameLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(64 + topic.length());
        b.put((byte) topicLength).put(text(topic)).putLong(seq).putLong(timestamp).putInt(headersLength)
                .putShort((short) frames);
        out.write(b.array(), 0, b.position());
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < Math.min(frames, 2); i++) {
            parts.add(ByteBuffer.allocate(4).putInt(frameLength).array());
            parts.add(new byte[Math.min(frameLength, 4)]);
        }
        parts.forEach(p -> out.write(p, 0, p.length));
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
