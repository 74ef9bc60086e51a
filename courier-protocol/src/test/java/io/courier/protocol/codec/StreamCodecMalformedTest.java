package io.courier.protocol.codec;

import static io.courier.protocol.codec.StreamFrames.event;
import static io.courier.protocol.codec.StreamFrames.loss;
import static io.courier.protocol.codec.StreamFrames.minus;
import static io.courier.protocol.codec.StreamFrames.plus;
import static io.courier.protocol.codec.StreamFrames.pubAck;
import static io.courier.protocol.codec.StreamFrames.publish;
import static io.courier.protocol.codec.StreamFrames.replay;
import static io.courier.protocol.codec.StreamFrames.subscribe;
import static io.courier.protocol.codec.StreamFrames.subscribed;
import static io.courier.protocol.codec.StreamFrames.text;
import static io.courier.protocol.codec.StreamFrames.u64;
import static io.courier.protocol.codec.StreamFrames.unsubscribe;
import static io.courier.protocol.codec.StreamFrames.unsubscribed;
import static io.courier.protocol.codec.StreamFrames.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.protocol.Command;
import io.courier.protocol.Headers;
import io.courier.protocol.ProtocolException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.zeromq.ZMsg;

/** Every malformed variant of a stream command is a {@link ProtocolException} naming the problem. */
@Timeout(10)
class StreamCodecMalformedTest {
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] LONG_TOPIC = text("t".repeat(256));
    private static final byte[] SHORT = new byte[7];
    private static final byte[] NEGATIVE = u64(-1L);

    @Test
    void shouldAcceptTheValidBaseFrames() {
        List<Supplier<byte[][]>> valid = List.of(() -> publish(1), StreamFrames::pubAck, StreamFrames::subscribe,
                StreamFrames::subscribed, StreamFrames::unsubscribe, StreamFrames::event, StreamFrames::loss,
                StreamFrames::replay, StreamFrames::unsubscribed);
        for (Supplier<byte[][]> frames : valid) {
            assertThat(NativeCodec.decode(frames.get())).isNotNull();
        }
        assertThat(NativeCodec.decode(plus(event(), text("second frame")))).isNotNull();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                bad("publish missing body", minus(publish(1)), "PUBLISH needs 6 frames, got 5"),
                bad("publish extra frame", plus(publish(1), EMPTY), "PUBLISH needs 6 frames, got 7"),
                bad("publish short correlation id", with(publish(1), 2, SHORT), "correlation id must be 8 bytes"),
                bad("publish empty topic", with(publish(1), 3, EMPTY), "topic must be 1 to 255 bytes, got 0"),
                bad("publish long topic", with(publish(1), 3, LONG_TOPIC), "topic must be 1 to 255 bytes, got 256"),
                bad("publish bad headers", with(publish(1), 4, new byte[] {5, 'a'}), "malformed headers frame"),
                bad("puback missing seq", minus(pubAck()), "PUBACK needs 5 frames, got 4"),
                bad("puback extra frame", plus(pubAck(), EMPTY), "PUBACK needs 5 frames, got 6"),
                bad("puback seq zero", with(pubAck(), 4, u64(0)), "seq out of range"),
                bad("puback seq over 2^63-1", with(pubAck(), 4, NEGATIVE), "seq out of range"),
                bad("puback short seq", with(pubAck(), 4, SHORT), "seq must be 8 bytes"),
                bad("puback empty topic", with(pubAck(), 3, EMPTY), "topic must be 1 to 255 bytes"),
                bad("subscribe missing resume", minus(subscribe()), "SUBSCRIBE needs 8 frames, got 7"),
                bad("subscribe extra frame", plus(subscribe(), EMPTY), "SUBSCRIBE needs 8 frames, got 9"),
                bad("subscribe short id", with(subscribe(), 2, SHORT), "subscription id must be 8 bytes"),
                bad("subscribe long prefix", with(subscribe(), 3, LONG_TOPIC), "prefix must be 0 to 255 bytes"),
                bad("subscribe unknown start", with(subscribe(), 4, new byte[] {5}), "unknown start 0x5"),
                bad("subscribe two-byte start", with(subscribe(), 4, new byte[] {0, 0}), "start must be 1 byte"),
                bad("subscribe empty start", with(subscribe(), 4, EMPTY), "start must be 1 byte, got 0"),
                bad("subscribe short value", with(subscribe(), 5, SHORT), "start value must be 8 bytes"),
                bad("subscribe negative value", with(subscribe(), 5, NEGATIVE), "start value out of range"),
                bad("subscribe value with NOW", with(subscribe(), 4, new byte[] {0}), "start value out of range"),
                bad("subscribe unknown policy", with(subscribe(), 6, new byte[] {2}), "unknown policy 0x2"),
                bad("subscribe empty policy", with(subscribe(), 6, EMPTY), "policy must be 1 byte"),
                bad("subscribe resume not decimal", with(subscribe(), 7, seqs("p.a", "x1")), "not a decimal"),
                bad("subscribe resume negative", with(subscribe(), 7, seqs("p.a", "-1")), "not a decimal"),
                bad("subscribe resume empty value", with(subscribe(), 7, seqs("p.a", "")), "not a decimal"),
                bad("subscribe resume over long", with(subscribe(), 7, seqs("p.a", "9223372036854775808")),
                        "out of range"),
                bad("subscribe resume truncated", with(subscribe(), 7, new byte[] {3, 'a'}), "malformed headers"),
                bad("subscribed missing heads", minus(subscribed()), "SUBSCRIBED needs 4 frames, got 3"),
                bad("subscribed extra frame", plus(subscribed(), EMPTY), "SUBSCRIBED needs 4 frames, got 5"),
                bad("subscribed short id", with(subscribed(), 2, SHORT), "subscription id must be 8 bytes"),
                bad("subscribed head not decimal", with(subscribed(), 3, seqs("t", "4.0")), "not a decimal"),
                bad("unsubscribe missing id", minus(unsubscribe()), "UNSUBSCRIBE needs 3 frames, got 2"),
                bad("unsubscribe extra frame", plus(unsubscribe(), EMPTY), "UNSUBSCRIBE needs 3 frames, got 4"),
                bad("unsubscribe short id", with(unsubscribe(), 2, SHORT), "subscription id must be 8 bytes"),
                bad("event without body", minus(event()), "EVENT needs at least 8 frames, got 7"),
                bad("event short id", with(event(), 2, SHORT), "subscription id must be 8 bytes"),
                bad("event empty topic", with(event(), 3, EMPTY), "topic must be 1 to 255 bytes"),
                bad("event long topic", with(event(), 3, LONG_TOPIC), "topic must be 1 to 255 bytes"),
                bad("event seq zero", with(event(), 4, u64(0)), "seq out of range"),
                bad("event short seq", with(event(), 4, SHORT), "seq must be 8 bytes"),
                bad("event negative timestamp", with(event(), 5, NEGATIVE), "timestamp out of range"),
                bad("event short timestamp", with(event(), 5, SHORT), "timestamp must be 8 bytes"),
                bad("event bad headers", with(event(), 6, new byte[] {0}), "malformed headers frame"),
                bad("loss missing reason", minus(loss()), "LOSS needs 7 frames, got 6"),
                bad("loss extra frame", plus(loss(), EMPTY), "LOSS needs 7 frames, got 8"),
                bad("loss short id", with(loss(), 2, SHORT), "subscription id must be 8 bytes"),
                bad("loss empty topic", with(loss(), 3, EMPTY), "topic must be 1 to 255 bytes"),
                bad("loss from zero", with(loss(), 4, u64(0)), "from seq out of range"),
                bad("loss short to", with(loss(), 5, SHORT), "to seq must be 8 bytes"),
                bad("loss from after to", with(loss(), 4, u64(3)), "from <= to"),
                bad("replay missing to", minus(replay()), "REPLAY needs 6 frames, got 5"),
                bad("replay extra frame", plus(replay(), EMPTY), "REPLAY needs 6 frames, got 7"),
                bad("replay long topic", with(replay(), 3, LONG_TOPIC), "topic must be 1 to 255 bytes"),
                bad("replay negative to", with(replay(), 5, NEGATIVE), "to seq out of range"),
                bad("replay from after to", with(replay(), 4, u64(9)), "from <= to"),
                bad("unsubscribed missing reason", minus(unsubscribed()), "UNSUBSCRIBED needs 4 frames, got 3"),
                bad("unsubscribed extra frame", plus(unsubscribed(), EMPTY), "UNSUBSCRIBED needs 4 frames, got 5"),
                bad("unsubscribed short id", with(unsubscribed(), 2, SHORT), "subscription id must be 8 bytes"),
                bad("command only", StreamFrames.of(Command.EVENT), "EVENT needs at least 8 frames, got 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldRejectMalformedFrames(String name, byte[][] frames, String problem) {
        assertThatThrownBy(() -> NativeCodec.decode(frames))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(problem);
        ZMsg msg = new ZMsg();
        for (byte[] frame : frames) {
            msg.add(frame);
        }
        assertThatThrownBy(() -> NativeCodec.decode(msg))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(problem);
    }

    private static Arguments bad(String name, byte[][] frames, String problem) {
        return Arguments.of(name, frames, problem);
    }

    private static byte[] seqs(String topic, String value) {
        return Headers.of(Map.of(topic, value)).encode();
    }
}
