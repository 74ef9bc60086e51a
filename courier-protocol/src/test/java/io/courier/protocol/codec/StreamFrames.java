package io.courier.protocol.codec;

import io.courier.protocol.Command;
import io.courier.protocol.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/** Hand-built frames of the stream commands, valid until a test breaks one field. */
final class StreamFrames {
    static final byte[] CRR1 = "CRR1".getBytes(StandardCharsets.US_ASCII);

    private StreamFrames() {
    }

    static byte[][] of(Command command, byte[]... fields) {
        byte[][] f = new byte[fields.length + 2][];
        f[0] = CRR1;
        f[1] = new byte[] {command.id()};
        System.arraycopy(fields, 0, f, 2, fields.length);
        return f;
    }

    static byte[] u64(long value) {
        return NativeCodec.u64(value);
    }

    static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static byte[][] publish(long correlationId) {
        return of(Command.PUBLISH, u64(correlationId), text("t"), new byte[0], text("body"));
    }

    static byte[][] pubAck() {
        return of(Command.PUBACK, u64(1), text("t"), u64(1));
    }

    static byte[][] subscribe() {
        return of(Command.SUBSCRIBE, u64(1), text("p"), new byte[] {3}, u64(5), new byte[] {0},
                Headers.of(Map.of("p.a", "9")).encode());
    }

    static byte[][] subscribed() {
        return of(Command.SUBSCRIBED, u64(1), Headers.of(Map.of("t", "4")).encode());
    }

    static byte[][] unsubscribe() {
        return of(Command.UNSUBSCRIBE, u64(1));
    }

    static byte[][] event() {
        return of(Command.EVENT, u64(1), text("t"), u64(1), u64(0), new byte[0], text("body"));
    }

    static byte[][] loss() {
        return of(Command.LOSS, u64(1), text("t"), u64(1), u64(2), text("gone"));
    }

    static byte[][] replay() {
        return of(Command.REPLAY, u64(1), text("t"), u64(1), u64(2));
    }

    static byte[][] unsubscribed() {
        return of(Command.UNSUBSCRIBED, u64(1), text("too slow"));
    }

    /** A copy with frame {@code index} replaced. */
    static byte[][] with(byte[][] frames, int index, byte[] value) {
        byte[][] copy = frames.clone();
        copy[index] = value;
        return copy;
    }

    /** A copy with one more frame at the end. */
    static byte[][] plus(byte[][] frames, byte[] extra) {
        byte[][] copy = Arrays.copyOf(frames, frames.length + 1);
        copy[frames.length] = extra;
        return copy;
    }

    /** A copy without the last frame. */
    static byte[][] minus(byte[][] frames) {
        return Arrays.copyOf(frames, frames.length - 1);
    }
}
