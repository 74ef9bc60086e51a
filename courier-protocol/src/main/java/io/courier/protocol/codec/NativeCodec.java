package io.courier.protocol.codec;

import io.courier.protocol.Command;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.Utf8;
import io.courier.protocol.Wire;
import io.courier.protocol.codec.NativeMessage.Disconnect;
import io.courier.protocol.codec.NativeMessage.Done;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Fail;
import io.courier.protocol.codec.NativeMessage.Heartbeat;
import io.courier.protocol.codec.NativeMessage.Hello;
import io.courier.protocol.codec.NativeMessage.Job;
import io.courier.protocol.codec.NativeMessage.Ready;
import io.courier.protocol.codec.NativeMessage.Reply;
import io.courier.protocol.codec.NativeMessage.Request;
import io.courier.protocol.codec.NativeMessage.Status;
import io.courier.protocol.codec.NativeMessage.StatusReply;
import io.courier.protocol.codec.NativeMessage.Welcome;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.zeromq.ZFrame;
import org.zeromq.ZMsg;

/**
 * Encodes and decodes native protocol messages (docs/protocol.md, section 4). Stateless and thread-safe.
 *
 * <p>Every message starts with the frame {@code CRR1} and a one-byte command frame. Integers are big-endian:
 * correlation, job and subscription ids, seqs and timestamps 8 bytes, timeouts and capacities 4 bytes, error
 * codes 2 bytes. Decoding checks the exact frame count (EVENT: at least 8, its body frames vary) and every field
 * size, and throws {@link ProtocolException} on the first problem. The stream commands (0x30 to 0x38) are laid
 * out by {@code StreamCodec} (their batches, 0x39 to 0x3B, by {@code StreamBatchCodec}), the queue commands
 * (0x40 to 0x4A) by {@code QueueCodec}.
 */
public final class NativeCodec {
    private static final int MAX_SERVICE_BYTES = 255;
    private static final byte[] CRR1_BYTES = Wire.CRR1.getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] COMMAND_FRAMES = new byte[256][];

    static {
        for (Command c : Command.values()) {
            COMMAND_FRAMES[c.id() & 0xFF] = new byte[] {c.id()};
        }
    }

    private NativeCodec() {
    }

    /** True when the frame is the native protocol id, {@code CRR1}. */
    public static boolean isNative(ZFrame first) {
        return first != null && first.size() == 4 && first.streq(Wire.CRR1);
    }

    /** True when the frame is the native protocol id, {@code CRR1}. */
    public static boolean isNative(byte[] first) {
        return Arrays.equals(first, CRR1_BYTES);
    }

    /** A new message holding the encoded frames, ready for a DEALER (or for a ROUTER after pushing a route). */
    public static ZMsg encode(NativeMessage message) {
        ZMsg msg = new ZMsg();
        msg.add(Wire.CRR1);
        msg.add(COMMAND_FRAMES[message.command().id() & 0xFF]);
        switch (message.command()) {
            case HELLO -> msg.add(((Hello) message).properties().encode());
            case WELCOME -> msg.add(((Welcome) message).properties().encode());
            case REQUEST -> addRequest(msg, (Request) message);
            case REPLY -> {
                Reply m = (Reply) message;
                msg.add(u64(m.correlationId()));
                msg.add(m.headers().encode());
                msg.add(m.body());
            }
            case ERROR -> {
                ErrorReply m = (ErrorReply) message;
                msg.add(u64(m.correlationId()));
                msg.add(u16(m.code().code()));
                msg.add(utf8(m.reason()));
            }
            case HEARTBEAT -> {
                // the command frame says it all
            }
            case DISCONNECT -> msg.add(utf8(((Disconnect) message).reason()));
            case READY -> {
                Ready m = (Ready) message;
                msg.add(service(m.service()));
                msg.add(u32(m.capacity()));
                msg.add(m.properties().encode());
            }
            case JOB -> addJob(msg, (Job) message);
            case DONE -> {
                Done m = (Done) message;
                msg.add(u64(m.jobId()));
                msg.add(m.headers().encode());
                msg.add(m.body());
            }
            case FAIL -> {
                Fail m = (Fail) message;
                msg.add(u64(m.jobId()));
                msg.add(u16(m.code().code()));
                msg.add(utf8(m.reason()));
            }
            case STATUS -> msg.add(u64(((Status) message).correlationId()));
            case STATUS_REPLY -> {
                StatusReply m = (StatusReply) message;
                msg.add(u64(m.correlationId()));
                msg.add(utf8(m.json()));
            }
            case PUBLISH, PUBACK, SUBSCRIBE, SUBSCRIBED, UNSUBSCRIBE, EVENT, LOSS, REPLAY, UNSUBSCRIBED ->
                    StreamCodec.encode(msg, message);
            case ENQUEUE, CONFIRM, CONSUME, CONSUMING, DELIVER, ACK, NACK, CANCEL, CANCELLED, QUEUE_ADMIN,
                 QUEUE_ADMIN_REPLY -> QueueCodec.encode(msg, message);
            case PUBLISH_BATCH, PUBACK_BATCH, EVENT_BATCH -> StreamBatchCodec.encode(msg, message);
            default -> throw new IllegalStateException("unhandled command " + message.command());
        }
        return msg;
    }

    /**
     * Decodes a whole message that starts with {@code CRR1} (a ROUTER's routing frame already removed).
     * The message is consumed.
     */
    public static NativeMessage decode(ZMsg msg) {
        return decode(frames(msg));
    }

    /** Decodes a whole message given as frames that start with {@code CRR1}. The arrays are not copied. */
    public static NativeMessage decode(byte[][] f) {
        if (f.length < 2 || !Arrays.equals(f[0], CRR1_BYTES)) {
            throw new ProtocolException("not a CRR1 message");
        }
        if (f[1].length != 1) {
            throw new ProtocolException("command frame must be 1 byte, got " + f[1].length);
        }
        Command command = Command.of(f[1][0]);
        return switch (command) {
            case HELLO -> new Hello(headers(expect(f, command, 3)[2]));
            case WELCOME -> new Welcome(headers(expect(f, command, 3)[2]));
            case REQUEST -> new Request(u64(expect(f, command, 7)[2], "correlation id"), service(f[3]),
                    timeout(f[4]), headers(f[5]), f[6]);
            case REPLY -> new Reply(u64(expect(f, command, 5)[2], "correlation id"), headers(f[3]), f[4]);
            case ERROR -> new ErrorReply(u64(expect(f, command, 5)[2], "correlation id"),
                    ErrorCode.of(u16(f[3])), utf8(f[4]));
            case HEARTBEAT -> heartbeat(expect(f, command, 2));
            case DISCONNECT -> disconnect(f);
            case READY -> new Ready(service(expect(f, command, 5)[2]), capacity(f[3]), headers(f[4]));
            case JOB -> new Job(u64(expect(f, command, 6)[2], "job id"), timeout(f[3]), headers(f[4]), f[5]);
            case DONE -> new Done(u64(expect(f, command, 5)[2], "job id"), headers(f[3]), f[4]);
            case FAIL -> new Fail(u64(expect(f, command, 5)[2], "job id"), ErrorCode.of(u16(f[3])), utf8(f[4]));
            case STATUS -> new Status(u64(expect(f, command, 3)[2], "correlation id"));
            case STATUS_REPLY -> new StatusReply(u64(expect(f, command, 4)[2], "correlation id"), utf8(f[3]));
            case PUBLISH, PUBACK, SUBSCRIBE, SUBSCRIBED, UNSUBSCRIBE, EVENT, LOSS, REPLAY, UNSUBSCRIBED ->
                    StreamCodec.decode(f, command);
            case ENQUEUE, CONFIRM, CONSUME, CONSUMING, DELIVER, ACK, NACK, CANCEL, CANCELLED, QUEUE_ADMIN,
                 QUEUE_ADMIN_REPLY -> QueueCodec.decode(f, command);
            case PUBLISH_BATCH, PUBACK_BATCH, EVENT_BATCH -> StreamBatchCodec.decode(f, command);
            default -> throw new ProtocolException("unexpected command " + command);
        };
    }

    private static final Heartbeat HEARTBEAT = new Heartbeat();

    private static void addRequest(ZMsg msg, Request m) {
        msg.add(u64(m.correlationId()));
        msg.add(service(m.service()));
        msg.add(u32(m.timeoutMillis()));
        msg.add(m.headers().encode());
        msg.add(m.body());
    }

    private static void addJob(ZMsg msg, Job m) {
        msg.add(u64(m.jobId()));
        msg.add(u32(m.timeoutMillis()));
        msg.add(m.headers().encode());
        msg.add(m.body());
    }

    /** The reason frame is optional: a DISCONNECT has 2 or 3 frames. */
    private static Disconnect disconnect(byte[][] f) {
        if (f.length != 2 && f.length != 3) {
            throw new ProtocolException("DISCONNECT needs 2 or 3 frames, got " + f.length);
        }
        return new Disconnect(f.length == 3 ? utf8(f[2]) : "");
    }

    /** Heartbeats carry nothing, so one instance serves all; {@code frames} is already checked. */
    private static Heartbeat heartbeat(byte[][] frames) {
        return HEARTBEAT;
    }

    /**
     * True when frames that may be malformed still hold the correlation id of a REQUEST, STATUS, ENQUEUE or
     * QUEUE_ADMIN, or a PUBLISH's or PUBLISH_BATCH's non-zero one (0 asks for no answer), so that an error can be
     * answered to the right request.
     */
    public static boolean hasCorrelationId(byte[][] f) {
        if (f.length < 3 || f[1].length != 1 || f[2].length != 8) {
            return false;
        }
        byte command = f[1][0];
        return command == Command.REQUEST.id() || command == Command.STATUS.id()
                || command == Command.ENQUEUE.id() || command == Command.QUEUE_ADMIN.id()
                || (command == Command.PUBLISH.id() || command == Command.PUBLISH_BATCH.id())
                && u64(f[2], "correlation id") != 0;
    }

    /** The correlation id of frames for which {@link #hasCorrelationId} is true; any 64-bit value. */
    public static long correlationId(byte[][] f) {
        return u64(f[2], "correlation id");
    }

    /** The frames of a message as arrays, in order; the message is consumed. */
    public static byte[][] frames(ZMsg msg) {
        byte[][] out = new byte[msg.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = msg.pop().getData();
        }
        return out;
    }

    static byte[][] expect(byte[][] frames, Command command, int count) {
        if (frames.length != count) {
            throw new ProtocolException(command + " needs " + count + " frames, got " + frames.length);
        }
        return frames;
    }

    private static Headers headers(byte[] frame) {
        return Headers.decode(frame);
    }

    private static byte[] service(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_SERVICE_BYTES) {
            throw new IllegalArgumentException("service name must be 1 to 255 bytes [service=" + name + "]");
        }
        return bytes;
    }

    private static String service(byte[] frame) {
        if (frame.length == 0 || frame.length > MAX_SERVICE_BYTES) {
            throw new ProtocolException("service name must be 1 to 255 bytes, got " + frame.length);
        }
        return Utf8.decode(frame, "service name");
    }

    private static int timeout(byte[] frame) {
        int value = u32(frame, "timeout");
        if (value < 0) {
            throw new ProtocolException("timeout out of range: " + Integer.toUnsignedString(value));
        }
        return value;
    }

    private static int capacity(byte[] frame) {
        int value = u32(frame, "capacity");
        if (value < 1) {
            throw new ProtocolException("capacity must be >= 1, got " + value);
        }
        return value;
    }

    /** {@code value} as 8 bytes, big-endian: how ids, seqs and timestamps travel. */
    public static byte[] u64(long value) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        return b;
    }

    /** An 8-byte big-endian frame as a long; {@link ProtocolException} naming {@code field} if not 8 bytes. */
    public static long u64(byte[] frame, String field) {
        if (frame.length != 8) {
            throw new ProtocolException(field + " must be 8 bytes, got " + frame.length);
        }
        long value = 0;
        for (byte b : frame) {
            value = (value << 8) | (b & 0xFF);
        }
        return value;
    }

    /** {@code value} as 4 bytes, big-endian: how durations, counts and capacities travel. */
    static byte[] u32(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    static int u32(byte[] frame, String field) {
        if (frame.length != 4) {
            throw new ProtocolException(field + " must be 4 bytes, got " + frame.length);
        }
        return (frame[0] & 0xFF) << 24 | (frame[1] & 0xFF) << 16 | (frame[2] & 0xFF) << 8 | (frame[3] & 0xFF);
    }

    static byte[] u16(int value) {
        return new byte[] {(byte) (value >>> 8), (byte) value};
    }

    static int u16(byte[] frame) {
        if (frame.length != 2) {
            throw new ProtocolException("error code must be 2 bytes, got " + frame.length);
        }
        return (frame[0] & 0xFF) << 8 | (frame[1] & 0xFF);
    }

    static byte[] utf8(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }

    static String utf8(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }
}
