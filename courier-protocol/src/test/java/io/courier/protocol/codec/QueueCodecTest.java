package io.courier.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.protocol.Command;
import io.courier.protocol.Headers;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.codec.NativeMessage.Ack;
import io.courier.protocol.codec.NativeMessage.Cancel;
import io.courier.protocol.codec.NativeMessage.Cancelled;
import io.courier.protocol.codec.NativeMessage.Confirm;
import io.courier.protocol.codec.NativeMessage.Consume;
import io.courier.protocol.codec.NativeMessage.Consuming;
import io.courier.protocol.codec.NativeMessage.Deliver;
import io.courier.protocol.codec.NativeMessage.Enqueue;
import io.courier.protocol.codec.NativeMessage.Nack;
import io.courier.protocol.codec.NativeMessage.QueueAdmin;
import io.courier.protocol.codec.NativeMessage.QueueAdmin.Operation;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply.ListedMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Round trips of the durable-queue commands (0x40 to 0x4A), and each malformed variant refused by name. */
@Timeout(10)
class QueueCodecTest {
    private static final byte[] BODY = "payload".getBytes(StandardCharsets.UTF_8);
    private static final Headers HEADERS = Headers.of(Map.of(Headers.CONTENT_TYPE, "text/plain"));
    private static final String NAME_255 = "q".repeat(255);

    @Test
    void shouldRoundTripEnqueueAndConfirm() {
        Enqueue enqueue = (Enqueue) roundTrip(new Enqueue(7, "orders", "order-1", 60_000, HEADERS, BODY));
        assertThat(enqueue.correlationId()).isEqualTo(7);
        assertThat(enqueue.queue()).isEqualTo("orders");
        assertThat(enqueue.messageId()).isEqualTo("order-1");
        assertThat(enqueue.ttlMillis()).isEqualTo(60_000);
        assertThat(enqueue.headers()).isEqualTo(HEADERS);
        assertThat(enqueue.body()).isEqualTo(BODY);
        Enqueue bare = (Enqueue) roundTrip(new Enqueue(-1, NAME_255, "", 0, Headers.EMPTY, new byte[0]));
        assertThat(bare.messageId()).isEmpty();
        assertThat(bare.queue()).isEqualTo(NAME_255);

        assertThat(roundTrip(new Confirm(7, "orders", Long.MAX_VALUE, false)))
                .isEqualTo(new Confirm(7, "orders", Long.MAX_VALUE, false));
        assertThat(roundTrip(new Confirm(8, "orders", 1, true))).isEqualTo(new Confirm(8, "orders", 1, true));
    }

    @Test
    void shouldRoundTripConsumerCommands() {
        assertThat(roundTrip(new Consume(3, "orders", 64))).isEqualTo(new Consume(3, "orders", 64));
        assertThat(roundTrip(new Consuming(3, "orders"))).isEqualTo(new Consuming(3, "orders"));
        assertThat(roundTrip(new Nack(3, 9, true, 500))).isEqualTo(new Nack(3, 9, true, 500));
        assertThat(roundTrip(new Nack(3, 9, false, 0))).isEqualTo(new Nack(3, 9, false, 0));
        assertThat(roundTrip(new Cancel(3))).isEqualTo(new Cancel(3));
        assertThat(roundTrip(new Cancelled(3, "cancelled"))).isEqualTo(new Cancelled(3, "cancelled"));

        Ack ack = (Ack) roundTrip(new Ack(3, new long[] {1, 2, Long.MAX_VALUE}));
        assertThat(ack.consumerId()).isEqualTo(3);
        assertThat(ack.tags()).containsExactly(1, 2, Long.MAX_VALUE);
    }

    @Test
    void shouldRoundTripDeliver() {
        Deliver deliver = (Deliver) roundTrip(new Deliver(3, "orders", 11, 42, 2, 1_700_000_000_000L, HEADERS, BODY));
        assertThat(deliver.consumerId()).isEqualTo(3);
        assertThat(deliver.queue()).isEqualTo("orders");
        assertThat(deliver.tag()).isEqualTo(11);
        assertThat(deliver.seq()).isEqualTo(42);
        assertThat(deliver.deliveries()).isEqualTo(2);
        assertThat(deliver.enqueuedAtMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(deliver.headers()).isEqualTo(HEADERS);
        assertThat(deliver.body()).isEqualTo(BODY);
    }

    @ParameterizedTest
    @EnumSource(Operation.class)
    void shouldRoundTripQueueAdminWithEveryOperation(Operation operation) {
        assertThat(roundTrip(new QueueAdmin(5, operation, "orders.dlq", 10)))
                .isEqualTo(new QueueAdmin(5, operation, "orders.dlq", 10));
    }

    @Test
    void shouldRoundTripQueueAdminReplyWithAndWithoutMessages() {
        QueueAdminReply none = (QueueAdminReply) roundTrip(new QueueAdminReply(5, 12, List.of()));
        assertThat(none.affected()).isEqualTo(12);
        assertThat(none.messages()).isEmpty();

        QueueAdminReply listed = (QueueAdminReply) roundTrip(new QueueAdminReply(5, 2, List.of(
                new ListedMessage(1, 0, 10, HEADERS, BODY), new ListedMessage(2, 10, 20, Headers.EMPTY, new byte[0]))));
        assertThat(listed.messages()).hasSize(2);
        ListedMessage first = listed.messages().get(0);
        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.deliveries()).isZero();
        assertThat(first.enqueuedAtMillis()).isEqualTo(10);
        assertThat(first.headers()).isEqualTo(HEADERS);
        assertThat(first.body()).isEqualTo(BODY);
        assertThat(listed.messages().get(1).deliveries()).isEqualTo(10);
    }

    @Test
    void shouldFindTheCorrelationIdOfMalformedEnqueueAndQueueAdmin() {
        byte[][] enqueue = frames(new Enqueue(77, "q", "", 0, Headers.EMPTY, BODY));
        byte[][] truncated = Arrays.copyOf(enqueue, 5);
        assertThat(NativeCodec.hasCorrelationId(truncated)).isTrue();
        assertThat(NativeCodec.correlationId(truncated)).isEqualTo(77);
        assertThat(NativeCodec.hasCorrelationId(Arrays.copyOf(frames(new QueueAdmin(78, Operation.LIST, "q", 0)),
                3))).isTrue();
        assertThat(NativeCodec.hasCorrelationId(frames(new Consume(79, "q", 1)))).isFalse();
    }

    @Test
    void shouldRefuseToEncodeWhatCannotBeDecoded() {
        assertThatThrownBy(() -> NativeCodec.encode(new Enqueue(1, "", "", 0, Headers.EMPTY, BODY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queue name");
        assertThatThrownBy(() -> NativeCodec.encode(new Enqueue(1, "q", "i".repeat(256), 0, Headers.EMPTY, BODY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("message id");
        assertThatThrownBy(() -> NativeCodec.encode(new Consume(1, "q", 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefetch");
        assertThatThrownBy(() -> NativeCodec.encode(new Ack(1, new long[0])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one tag");
        assertThatThrownBy(() -> NativeCodec.encode(new Nack(1, 0, true, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag");
    }

    static Stream<Arguments> malformed() {
        byte[][] enqueue = frames(new Enqueue(1, "q", "id", 0, Headers.EMPTY, BODY));
        byte[][] deliver = frames(new Deliver(1, "q", 1, 1, 1, 0, Headers.EMPTY, BODY));
        byte[][] ack = frames(new Ack(1, new long[] {1}));
        byte[][] nack = frames(new Nack(1, 1, true, 0));
        byte[][] consume = frames(new Consume(1, "q", 1));
        byte[][] admin = frames(new QueueAdmin(1, Operation.LIST, "q", 0));
        byte[][] reply = frames(new QueueAdminReply(1, 1, List.of(new ListedMessage(1, 0, 0, Headers.EMPTY, BODY))));
        return Stream.of(
                bad("enqueue missing body", Arrays.copyOf(enqueue, 7), "ENQUEUE needs 8 frames, got 7"),
                bad("enqueue empty queue", with(enqueue, 3, new byte[0]), "queue name must be 1 to 255 bytes, got 0"),
                bad("enqueue long queue", with(enqueue, 3, new byte[256]),
                        "queue name must be 1 to 255 bytes, got 256"),
                bad("enqueue queue not UTF-8", with(enqueue, 3, new byte[] {(byte) 0xC3}),
                        "queue name is not valid UTF-8"),
                bad("enqueue message id not UTF-8", with(enqueue, 4, new byte[] {(byte) 0xFF}),
                        "message id is not valid UTF-8"),
                bad("enqueue long message id", with(enqueue, 4, new byte[256]), "message id must be 0 to 255 bytes"),
                bad("enqueue negative ttl", with(enqueue, 5, new byte[] {-1, 0, 0, 0}), "ttl out of range"),
                bad("enqueue short ttl", with(enqueue, 5, new byte[2]), "ttl must be 4 bytes"),
                bad("confirm seq 0", frames(Command.CONFIRM, u64(1), text("q"), u64(0), new byte[] {0}),
                        "seq out of range"),
                bad("confirm outcome 2", frames(Command.CONFIRM, u64(1), text("q"), u64(1), new byte[] {2}),
                        "outcome must be one byte, 0 or 1"),
                bad("consume prefetch 0", with(consume, 4, new byte[4]), "prefetch must be 1 to 2^31-1"),
                bad("deliver short meta", with(deliver, 5, new byte[19]), "message meta must be 20 bytes, got 19"),
                bad("deliver seq 0", with(deliver, 5, new byte[20]), "message meta out of range"),
                bad("deliver extra frame", plus(deliver), "DELIVER needs 8 frames, got 9"),
                bad("ack empty tags", with(ack, 3, new byte[0]), "tags must be a non-empty multiple of 8 bytes"),
                bad("ack ragged tags", with(ack, 3, new byte[12]), "tags must be a non-empty multiple of 8 bytes"),
                bad("ack tag 0", with(ack, 3, new byte[8]), "tag out of range"),
                bad("nack requeue 2", with(nack, 4, new byte[] {2}), "requeue must be one byte, 0 or 1"),
                bad("nack negative delay", with(nack, 5, new byte[] {-128, 0, 0, 0}), "delay out of range"),
                bad("admin unknown operation", with(admin, 3, new byte[] {3}), "unknown operation 0x3"),
                bad("admin negative count", with(admin, 5, new byte[] {-1, -1, -1, -1}), "count out of range"),
                bad("reply ragged messages", plus(reply), "QUEUE_ADMIN_REPLY needs 4 + 3 per message frames"),
                bad("cancel extra frame", plus(frames(new Cancel(1))), "CANCEL needs 3 frames, got 4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldRefuseMalformedFramesNamingTheProblem(String name, byte[][] frames, String problem) {
        assertThatThrownBy(() -> NativeCodec.decode(frames)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining(problem);
    }

    private static Arguments bad(String name, byte[][] frames, String problem) {
        return Arguments.of(name, frames, problem);
    }

    private static NativeMessage roundTrip(NativeMessage message) {
        NativeMessage decoded = NativeCodec.decode(NativeCodec.encode(message));
        assertThat(decoded.command()).isEqualTo(message.command());
        NativeMessage fromFrames = NativeCodec.decode(frames(message));
        assertThat(fromFrames.command()).isEqualTo(message.command());
        return decoded;
    }

    private static byte[][] frames(NativeMessage message) {
        return NativeCodec.encode(message).stream().map(f -> f.getData()).toArray(byte[][]::new);
    }

    private static byte[][] frames(Command command, byte[]... fields) {
        byte[][] f = new byte[fields.length + 2][];
        f[0] = text("CRR1");
        f[1] = new byte[] {command.id()};
        System.arraycopy(fields, 0, f, 2, fields.length);
        return f;
    }

    private static byte[][] with(byte[][] frames, int index, byte[] frame) {
        byte[][] copy = frames.clone();
        copy[index] = frame;
        return copy;
    }

    private static byte[][] plus(byte[][] frames) {
        byte[][] copy = Arrays.copyOf(frames, frames.length + 1);
        copy[frames.length] = new byte[0];
        return copy;
    }

    private static byte[] u64(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.US_ASCII);
    }
}
