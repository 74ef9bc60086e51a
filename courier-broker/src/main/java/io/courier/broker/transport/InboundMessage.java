package io.courier.broker.transport;

import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMQ;
import zmq.Msg;
import zmq.io.Metadata;

/**
 * One whole message read off a socket, with the ZAP {@code User-Id} of the connection it came on (the client
 * certificate's name under CURVE; null without one). JeroMQ only hands the metadata out on its low-level
 * {@link Msg}, which {@link ZMQ.Socket#recvMsg(int)} returns.
 *
 * @param frames    every frame, in order (on a ROUTER, the routing id first)
 * @param restBytes the size of every frame but the first
 * @param userId    the connection's User-Id, or null
 */
record InboundMessage(byte[][] frames, long restBytes, String userId) {
    private static final byte[][] NO_FRAMES = new byte[0][];

    /** The next whole message, without waiting; null when none is waiting. */
    static InboundMessage receive(ZMQ.Socket socket) {
        Msg first = socket.recvMsg(ZMQ.DONTWAIT);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>(4);
        frames.add(first.data());
        String userId = userId(first);
        long rest = 0;
        Msg frame = first;
        while (frame.hasMore()) {
            frame = socket.recvMsg(0);
            if (frame == null) {
                break;   // only when the context ends mid-message
            }
            frames.add(frame.data());
            rest += frame.size();
            if (userId == null) {
                userId = userId(frame);
            }
        }
        return new InboundMessage(frames.toArray(NO_FRAMES), rest, userId);
    }

    private static String userId(Msg frame) {
        Metadata metadata = frame.getMetadata();
        return metadata == null ? null : metadata.get(Metadata.USER_ID);
    }
}
