package io.courier.protocol.codec;

import io.courier.protocol.Command;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.Wire;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMsg;

/**
 * BATCH (0x08, docs/protocol.md 4.14): many native messages in one ZeroMQ message, packed into a single frame.
 * Every ZeroMQ frame costs an allocation, a pipe write and a decoder step on each thread it crosses; a REQUEST is
 * 7 frames, and a request/reply through the broker crosses four sockets. Packed, the messages of one loop pass
 * to one peer cross as one 3-frame message.
 *
 * <p>A peer says it takes BATCH with the HELLO (client, worker) or WELCOME (broker) property {@value #PROPERTY}
 * = {@code 1}. Only the commands of {@link #packable} travel inside one; a receiver treats each entry exactly as
 * the message on its own. Stateless and thread-safe, but for {@link Packer}.
 */
public final class Batches {
    /** HELLO and WELCOME property: {@code 1} when the sender takes BATCH. */
    public static final String PROPERTY = "batch";
    /** The most messages one BATCH may hold. */
    public static final int MAX_MESSAGES = 65_535;
    /** The most frames one message inside a BATCH may have (its command frame included). */
    public static final int MAX_FRAMES = 255;
    private static final byte[] CRR1 = Wire.CRR1.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BATCH = {Command.BATCH.id()};

    private Batches() {
    }

    /** True when {@code value}, a HELLO or WELCOME property, says the peer takes BATCH. */
    public static boolean accepted(String value) {
        return "1".equals(value);
    }

    /**
     * The commands that may travel in a BATCH: requests and replies, jobs and their outcomes, and the queue
     * traffic. Session commands (HELLO, WELCOME, HEARTBEAT, DISCONNECT, READY) and those that have batches of
     * their own (streams) travel alone, and a BATCH never holds another.
     */
    public static boolean packable(Command command) {
        return switch (command) {
            case REQUEST, REPLY, ERROR, JOB, DONE, FAIL, ENQUEUE, CONFIRM, DELIVER, ACK, NACK -> true;
            default -> false;
        };
    }

    /** What a receiver does with the messages of a BATCH, and with the parts it cannot take. */
    public interface Receiver {
        /** One message out of the batch, in order, already checked to be {@link #packable}. */
        void onMessage(byte[][] frames);

        /**
         * A malformed part: {@code reason} is a short label for metrics ({@code bad_frames},
         * {@code too_many_frames}, {@code unexpected_command}), {@code detail} says what was wrong.
         */
        void onMalformed(String reason, String detail);
    }

    /**
     * Hands each message of a BATCH to {@code receiver} as if it had come alone, in order. A batch that cannot be
     * taken apart is reported once; a message in it with more than {@code maxFrames} frames, or one that may not
     * travel in a batch, is reported and skipped without taking the others with it.
     */
    public static void deliver(byte[][] batch, int maxFrames, Receiver receiver) {
        List<byte[][]> messages;
        try {
            messages = unpack(batch);
        } catch (ProtocolException e) {
            receiver.onMalformed("bad_frames", e.getMessage());
            return;
        }
        for (byte[][] message : messages) {
            if (message.length > maxFrames) {
                receiver.onMalformed("too_many_frames", message.length
                        + " frames in a BATCH message, the most allowed is " + maxFrames);
                continue;
            }
            try {
                requirePackable(message);
            } catch (ProtocolException e) {
                receiver.onMalformed("unexpected_command", e.getMessage());
                continue;
            }
            receiver.onMessage(message);
        }
    }

    /**
     * Checks that a message out of a BATCH may travel in one; its frames are decoded afterwards as usual.
     *
     * @throws ProtocolException when its command is unknown or not {@link #packable}
     */
    public static void requirePackable(byte[][] message) {
        if (message.length >= 2 && message[1].length == 1) {
            Command command = Command.of(message[1][0]);
            if (!packable(command)) {
                throw new ProtocolException(command + " may not travel in a BATCH");
            }
        }
    }

    /** True when frames that start with {@code CRR1} are a BATCH. */
    public static boolean isBatch(byte[][] frames) {
        return frames.length >= 2 && frames[1].length == 1 && frames[1][0] == Command.BATCH.id();
    }

    /**
     * The messages of a BATCH, each as the frames it would have on its own ({@code CRR1} first), in order. Checks
     * the packing only: each message is then decoded, and may be refused, on its own.
     *
     * @throws ProtocolException when the frame count is not 3, or the packed frame is empty, holds more than
     *                           {@value #MAX_MESSAGES} messages, a message of 0 frames, or a length past its end
     */
    public static List<byte[][]> unpack(byte[][] frames) {
        if (frames.length != 3) {
            throw new ProtocolException("BATCH needs 3 frames, got " + frames.length);
        }
        PackedReader in = new PackedReader(frames[2], "BATCH");
        int count = in.u16("message count");
        if (count == 0) {
            throw new ProtocolException("BATCH: message count must be 1 to " + MAX_MESSAGES + ", got 0");
        }
        List<byte[][]> messages = new ArrayList<>(Math.min(count, 64));   // count is off the wire
        for (int m = 0; m < count; m++) {
            int frameCount = in.u8("frame count");
            if (frameCount == 0) {
                throw new ProtocolException("BATCH: message " + (m + 1) + " has no frames");
            }
            byte[][] message = new byte[frameCount + 1][];
            message[0] = CRR1;
            for (int f = 1; f <= frameCount; f++) {
                message[f] = in.bytes(in.length("frame"), "frame");
            }
            messages.add(message);
        }
        if (in.hasMore()) {
            throw new ProtocolException("BATCH: bytes left after " + count + " messages");
        }
        return messages;
    }

    /**
     * Gathers the messages for one peer and hands them out as one BATCH. Reusable: {@link #frames} empties it.
     * Not thread-safe: confined to the owner of the socket it feeds.
     */
    public static final class Packer {
        private final PackedBuffer buffer;
        private int count;

        public Packer(int capacity) {
            buffer = new PackedBuffer(capacity);
            buffer.u16(0);   // the count, written when the batch is handed out
        }

        /**
         * Adds a message.
         *
         * @throws IllegalArgumentException when its command is not {@link #packable} or it has over 255 frames
         * @throws IllegalStateException    when the batch holds {@value #MAX_MESSAGES} messages already
         */
        public void add(NativeMessage message) {
            add(message.command(), NativeCodec.encode(message));
        }

        /**
         * Adds a message already encoded by {@link NativeCodec#encode}; the message is consumed.
         *
         * @throws IllegalArgumentException when {@code command} is not {@link #packable} or it has over 255 frames
         * @throws IllegalStateException    when the batch holds {@value #MAX_MESSAGES} messages already
         */
        public void add(Command command, ZMsg encoded) {
            if (!packable(command)) {
                throw new IllegalArgumentException(command + " does not travel in a BATCH");
            }
            if (count == MAX_MESSAGES) {
                throw new IllegalStateException("BATCH full: " + MAX_MESSAGES + " messages");
            }
            encoded.pop();   // CRR1: the BATCH carries it once
            if (encoded.size() > MAX_FRAMES) {
                throw new IllegalArgumentException("a message in a BATCH has at most " + MAX_FRAMES
                        + " frames, got " + encoded.size());
            }
            buffer.u8(encoded.size());
            while (!encoded.isEmpty()) {
                buffer.sized(encoded.pop().getData());
            }
            count++;
        }

        /** What a message of {@code frames} frames and {@code contentBytes} bytes adds to a batch, at most. */
        public static int cost(int frames, long contentBytes) {
            return (int) Math.min(Integer.MAX_VALUE, 1 + 4L * frames + contentBytes);
        }

        public int count() {
            return count;
        }

        /** Bytes packed so far: what the BATCH frame would weigh. */
        public int bytes() {
            return buffer.size();
        }

        /** The whole BATCH, from {@code CRR1} on; the packer is then empty. */
        public byte[][] frames() {
            if (count == 0) {
                throw new IllegalStateException("a BATCH needs at least one message");
            }
            byte[] packed = buffer.toByteArray();
            packed[0] = (byte) (count >>> 8);
            packed[1] = (byte) count;
            clear();
            return new byte[][] {CRR1, BATCH, packed};
        }

        /** Makes the packer hold again a batch it handed out ({@link #frames}) that could not be sent. */
        public void restore(byte[][] frames) {
            byte[] packed = frames[2];
            clear();
            buffer.clear();
            buffer.put(packed);
            count = (packed[0] & 0xFF) << 8 | (packed[1] & 0xFF);
        }

        public void clear() {
            buffer.clear();
            buffer.u16(0);
            count = 0;
        }
    }
}
