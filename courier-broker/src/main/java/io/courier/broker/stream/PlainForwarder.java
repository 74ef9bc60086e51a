package io.courier.broker.stream;

import org.zeromq.ZMQ;

/**
 * Plain ZeroMQ pub/sub through the broker: messages from the publish XSUB go out on the subscribe XPUB, and
 * subscriptions from the XPUB go back up the XSUB, frame for frame, so a plain SUB sees exactly what a plain PUB
 * sent. Both sockets are owned by the broker loop thread, which calls this when they are readable.
 */
public final class PlainForwarder {
    private PlainForwarder() {
    }

    /** Reads and drops up to {@code limit} whole messages; true when the limit was hit and more may be waiting. */
    public static boolean discard(ZMQ.Socket from, int limit) {
        for (int n = 0; n < limit; n++) {
            if (from.recv(ZMQ.DONTWAIT) == null) {
                return false;
            }
            while (from.hasReceiveMore()) {
                from.recv(0);
            }
        }
        return true;
    }

    /**
     * Moves whole messages from {@code from} to {@code to} without waiting, at most {@code limit}; returns true
     * when the limit was hit and more may be waiting.
     */
    public static boolean forward(ZMQ.Socket from, ZMQ.Socket to, int limit) {
        for (int n = 0; n < limit; n++) {
            byte[] frame = from.recv(ZMQ.DONTWAIT);
            if (frame == null) {
                return false;
            }
            while (from.hasReceiveMore()) {
                to.send(frame, ZMQ.SNDMORE | ZMQ.DONTWAIT);
                frame = from.recv(0);
            }
            to.send(frame, ZMQ.DONTWAIT);
        }
        return true;
    }
}
