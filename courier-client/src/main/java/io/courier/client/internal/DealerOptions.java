package io.courier.client.internal;

import io.courier.client.ClientConfig;
import io.courier.core.certificate.CurveKeys;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * How a client or worker connection's DEALER socket is set up from its config: linger, high-water marks, ZeroMQ's
 * reconnect and handshake intervals, CURVE. Stateless; called on the connection's I/O thread, which owns the
 * socket it makes.
 */
final class DealerOptions {
    private DealerOptions() {
    }

    /** A new DEALER in {@code ctx}, set up for {@code config}; not yet connected. */
    static ZMQ.Socket open(ZContext ctx, ClientConfig config, int highWaterMark) {
        ZMQ.Socket socket = ctx.createSocket(SocketType.DEALER);
        socket.setLinger(0);
        socket.setSndHWM(highWaterMark);
        socket.setRcvHWM(highWaterMark);
        socket.setReconnectIVL(clampToInt(config.reconnectMin().toMillis()));
        socket.setReconnectIVLMax(clampToInt(config.reconnectMax().toMillis()));
        socket.setHandshakeIvl(handshakeMillis(config));
        applyCurve(socket, config);
        return socket;
    }

    /** Makes {@code socket} a CURVE client when the config says so: the broker must hold the server key's secret. */
    private static void applyCurve(ZMQ.Socket socket, ClientConfig config) {
        ClientConfig.Curve curve = config.curve();
        if (curve == null) {
            return;
        }
        socket.setCurveServerKey(CurveKeys.decode("curve.serverPublicKey", curve.serverPublicKey()));
        socket.setCurvePublicKey(curve.certificate().publicKeyBytes());
        socket.setCurveSecretKey(CurveKeys.decode("secret-key of " + curve.certificate().name(),
                curve.certificate().secretKey().orElseThrow()));
    }

    /**
     * ZeroMQ's handshake timeout for our socket: half the liveness window, between 100ms and 2s. JeroMQ 0.6.0 now
     * and then leaves a fresh TCP connection without a ZMTP handshake (a Poller race on the connecting side, ~1-6%
     * of connects here; zeromq/jeromq PR #1022) until this timer tears it down and reconnects. The default, 30s,
     * would hide the broker for that long; half the window lets ZeroMQ recover, keeping what was queued, before
     * our own liveness check gives up on the broker.
     */
    static int handshakeMillis(ClientConfig config) {
        long window = config.heartbeatInterval().toMillis() * config.heartbeatLiveness();
        return (int) Math.max(100, Math.min(2_000, window / 2));
    }

    private static int clampToInt(long value) {
        return (int) Math.min(Integer.MAX_VALUE, value);
    }
}
