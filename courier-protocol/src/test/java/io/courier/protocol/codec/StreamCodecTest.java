package io.courier.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.protocol.Command;
import io.courier.protocol.Headers;
import io.courier.protocol.SlowPolicy;
import io.courier.protocol.codec.NativeMessage.Event;
import io.courier.protocol.codec.NativeMessage.Loss;
import io.courier.protocol.codec.NativeMessage.PubAck;
import io.courier.protocol.codec.NativeMessage.Publish;
import io.courier.protocol.codec.NativeMessage.Replay;
import io.courier.protocol.codec.NativeMessage.Subscribe;
import io.courier.protocol.StreamStart;
import io.courier.protocol.codec.NativeMessage.Subscribed;
import io.courier.protocol.codec.NativeMessage.Unsubscribe;
import io.courier.protocol.codec.NativeMessage.Unsubscribed;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.zeromq.ZMsg;

/** Round trips of the stream commands (0x30 to 0x38), through both decode entry points. */
@Timeout(10)
class StreamCodecTest {
    private static final byte[] BODY = "payload".getBytes(StandardCharsets.UTF_8);
    private static final Headers HEADERS = Headers.of(Map.of(Headers.CONTENT_TYPE, "text/plain"));
    private static final String TOPIC_255 = "t".repeat(255);

    @Test
    void shouldRoundTripPublishAndPubAck() {
        Publish publish = (Publish) roundTrip(new Publish(Long.MAX_VALUE, "prices.eur", HEADERS, BODY));
        assertThat(publish.correlationId()).isEqualTo(Long.MAX_VALUE);
        assertThat(publish.topic()).isEqualTo("prices.eur");
        assertThat(publish.headers()).isEqualTo(HEADERS);
        assertThat(publish.body()).isEqualTo(BODY);
        Publish noConfirm = (Publish) roundTrip(new Publish(0, TOPIC_255, Headers.EMPTY, new byte[0]));
        assertThat(noConfirm.correlationId()).isZero();
        assertThat(noConfirm.topic()).isEqualTo(TOPIC_255);
        assertThat(noConfirm.body()).isEmpty();

        PubAck ack = (PubAck) roundTrip(new PubAck(-1L, "t", Long.MAX_VALUE));
        assertThat(ack.correlationId()).isEqualTo(-1L);
        assertThat(ack.topic()).isEqualTo("t");
        assertThat(ack.seq()).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @EnumSource(StreamStart.class)
    void shouldRoundTripSubscribeWithEveryStart(StreamStart start) {
        long value = start.hasValue() ? 1_700_000_000_000L : 0;
        Subscribe sent = new Subscribe(42, "prices.", start, value, SlowPolicy.DISCONNECT, Map.of("prices.eur", 17L));
        Subscribe decoded = (Subscribe) roundTrip(sent);
        assertThat(decoded).isEqualTo(sent);
        assertThat(decoded.resume()).containsExactly(Map.entry("prices.eur", 17L));
    }

    @Test
    void shouldRoundTripSubscribeWithEmptyPrefixAndNoResume() {
        Subscribe decoded = (Subscribe) roundTrip(new Subscribe(1, "", StreamStart.NOW, 0, SlowPolicy.LAG, Map.of()));
        assertThat(decoded.prefix()).isEmpty();
        assertThat(decoded.resume()).isEmpty();
        assertThat(decoded.policy()).isEqualTo(SlowPolicy.LAG);
        ZMsg msg = NativeCodec.encode(new Subscribe(1, "", StreamStart.NOW, 0, SlowPolicy.LAG, Map.of()));
        assertThat(msg.getLast().size()).as("resume frame").isZero();
        assertThat(roundTrip(new Subscribe(1, "p".repeat(255), StreamStart.LAST, 0, SlowPolicy.LAG, Map.of())))
                .isInstanceOf(Subscribe.class);
    }

    @Test
    void shouldRoundTripSubscribedUnsubscribeAndUnsubscribed() {
        Subscribed subscribed = (Subscribed) roundTrip(new Subscribed(9, Map.of("a", 0L, "b", Long.MAX_VALUE)));
        assertThat(subscribed.subscriptionId()).isEqualTo(9);
        assertThat(subscribed.heads()).containsOnly(Map.entry("a", 0L), Map.entry("b", Long.MAX_VALUE));
        assertThat(((Subscribed) roundTrip(new Subscribed(9, Map.of()))).heads()).isEmpty();
        assertThat(((Unsubscribe) roundTrip(new Unsubscribe(-5))).subscriptionId()).isEqualTo(-5);
        Unsubscribed gone = (Unsubscribed) roundTrip(new Unsubscribed(9, "too slow"));
        assertThat(gone.subscriptionId()).isEqualTo(9);
        assertThat(gone.reason()).isEqualTo("too slow");
        assertThat(((Unsubscribed) roundTrip(new Unsubscribed(9, ""))).reason()).isEmpty();
    }

    @Test
    void shouldRoundTripEventWithOneOrManyBodyFrames() {
        Event one = (Event) roundTrip(new Event(3, "t", 1, 0, Headers.EMPTY, new byte[][] {BODY}));
        assertThat(one.subscriptionId()).isEqualTo(3);
        assertThat(one.seq()).isEqualTo(1);
        assertThat(one.timestampMillis()).isZero();
        assertThat(one.body()).hasDimensions(1, BODY.length);
        assertThat(one.body()[0]).isEqualTo(BODY);

        byte[][] frames = {"a".getBytes(StandardCharsets.UTF_8), new byte[0], BODY};
        Event many = (Event) roundTrip(new Event(3, TOPIC_255, Long.MAX_VALUE, 1_700_000_000_123L, HEADERS, frames));
        assertThat(many.topic()).isEqualTo(TOPIC_255);
        assertThat(many.seq()).isEqualTo(Long.MAX_VALUE);
        assertThat(many.timestampMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(many.headers()).isEqualTo(HEADERS);
        assertThat(many.body().length).isEqualTo(3);
        assertThat(many.body()[0]).isEqualTo(frames[0]);
        assertThat(many.body()[1]).isEmpty();
        assertThat(many.body()[2]).isEqualTo(BODY);
    }

    @Test
    void shouldRoundTripLossAndReplay() {
        Loss loss = (Loss) roundTrip(new Loss(4, "t", 5, Long.MAX_VALUE, "not retained"));
        assertThat(loss).isEqualTo(new Loss(4, "t", 5, Long.MAX_VALUE, "not retained"));
        assertThat(((Loss) roundTrip(new Loss(4, "t", 7, 7, ""))).fromSeq()).isEqualTo(7);
        Replay replay = (Replay) roundTrip(new Replay(4, "t", 2, 9));
        assertThat(replay).isEqualTo(new Replay(4, "t", 2, 9));
        assertThat(((Replay) roundTrip(new Replay(4, "t", 3, 3))).toSeq()).isEqualTo(3);
    }

    @Test
    void shouldDecodeFromFramesAsFromMessages() {
        ZMsg msg = NativeCodec.encode(new PubAck(1, "t", 2));
        byte[][] frames = new byte[msg.size()][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = msg.pop().getData();
        }
        assertThat(NativeCodec.decode(frames)).isEqualTo(new PubAck(1, "t", 2));
    }

    @Test
    void shouldCarryCorrelationIdOfAMalformedPublishOnlyWhenNonZero() {
        byte[][] confirmed = StreamFrames.publish(7);
        confirmed[3] = new byte[0];
        assertThat(NativeCodec.hasCorrelationId(confirmed)).isTrue();
        assertThat(NativeCodec.correlationId(confirmed)).isEqualTo(7);
        byte[][] unconfirmed = StreamFrames.publish(0);
        unconfirmed[3] = new byte[0];
        assertThat(NativeCodec.hasCorrelationId(unconfirmed)).isFalse();
        assertThat(NativeCodec.hasCorrelationId(StreamFrames.of(Command.PUBACK, StreamFrames.u64(7)))).isFalse();
    }

    @Test
    void shouldRefuseToEncodeInvalidFields() {
        assertThatThrownBy(() -> NativeCodec.encode(new Publish(1, "", Headers.EMPTY, BODY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic must be 1 to 255 bytes");
        assertThatThrownBy(() -> NativeCodec.encode(new Publish(1, TOPIC_255 + "x", Headers.EMPTY, BODY)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NativeCodec.encode(new Subscribe(1, TOPIC_255 + "x", StreamStart.NOW, 0,
                SlowPolicy.LAG, Map.of()))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
        assertThatThrownBy(() -> NativeCodec.encode(new Subscribe(1, "", StreamStart.FIRST, 5, SlowPolicy.LAG,
                Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start value");
        assertThatThrownBy(() -> NativeCodec.encode(new Subscribe(1, "", StreamStart.SEQ, -1, SlowPolicy.LAG,
                Map.of())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NativeCodec.encode(new Event(1, "t", 1, 0, Headers.EMPTY, new byte[0][])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one body frame");
        assertThatThrownBy(() -> NativeCodec.encode(new Event(1, "t", 0, 0, Headers.EMPTY, new byte[][] {BODY})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seq must be >= 1");
        assertThatThrownBy(() -> NativeCodec.encode(new Replay(1, "t", 5, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from <= to");
        assertThatThrownBy(() -> NativeCodec.encode(new Loss(1, "t", 0, 4, "x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NativeCodec.encode(new PubAck(1, "t", 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static NativeMessage roundTrip(NativeMessage message) {
        NativeMessage decoded = NativeCodec.decode(NativeCodec.encode(message));
        assertThat(decoded.command()).isEqualTo(message.command());
        return decoded;
    }
}
