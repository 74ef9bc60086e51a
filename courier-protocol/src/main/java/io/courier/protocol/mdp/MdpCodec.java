package io.courier.protocol.mdp;

import io.courier.protocol.ProtocolException;
import io.courier.protocol.Utf8;
import io.courier.protocol.Wire;
import io.courier.protocol.mdp.MdpMessage.ClientRequest;
import io.courier.protocol.mdp.MdpMessage.Version;
import io.courier.protocol.mdp.MdpMessage.WorkerDisconnect;
import io.courier.protocol.mdp.MdpMessage.WorkerHeartbeat;
import io.courier.protocol.mdp.MdpMessage.WorkerReady;
import io.courier.protocol.mdp.MdpMessage.WorkerReply;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes what Majordomo clients and workers send to a broker, and encodes what the broker sends back
 * (RFC 7: MDP/0.1, frames start with an empty delimiter; RFC 18: MDP/0.2, no delimiter, PARTIAL and FINAL
 * replies). Frames here never include the ROUTER's routing id. Stateless and thread-safe.
 */
public final class MdpCodec {
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] C01 = ascii(Wire.MDP01_CLIENT);
    private static final byte[] W01 = ascii(Wire.MDP01_WORKER);
    private static final byte[] C02 = ascii(Wire.MDP02_CLIENT);
    private static final byte[] W02 = ascii(Wire.MDP02_WORKER);
    private static final int MAX_SERVICE_BYTES = 255;

    private MdpCodec() {
    }

    /** True when the frames open like a Majordomo message of either version (the first or second frame). */
    public static boolean isMajordomo(byte[][] f) {
        if (f.length >= 2 && f[0].length == 0) {
            return Arrays.equals(f[1], C01) || Arrays.equals(f[1], W01);
        }
        return f.length >= 1 && (Arrays.equals(f[0], C02) || Arrays.equals(f[0], W02));
    }

    /** Decodes one message; throws {@link ProtocolException} naming the first problem. */
    public static MdpMessage decode(byte[][] f) {
        if (f.length >= 2 && f[0].length == 0 && Arrays.equals(f[1], C01)) {
            return clientRequest(Version.V01, f, 2);
        }
        if (f.length >= 2 && f[0].length == 0 && Arrays.equals(f[1], W01)) {
            return worker01(f);
        }
        if (f.length >= 1 && Arrays.equals(f[0], C02)) {
            if (f.length < 2 || f[1].length != 1 || f[1][0] != Wire.MDP02_CLIENT_REQUEST) {
                throw new ProtocolException("MDPC02: expected command REQUEST (0x01)");
            }
            return clientRequest(Version.V02, f, 2);
        }
        if (f.length >= 1 && Arrays.equals(f[0], W02)) {
            return worker02(f);
        }
        throw new ProtocolException("not a Majordomo message");
    }

    private static ClientRequest clientRequest(Version version, byte[][] f, int serviceAt) {
        if (f.length <= serviceAt) {
            throw new ProtocolException(version.label() + " request has no service frame");
        }
        return new ClientRequest(version, service(f[serviceAt]), Arrays.copyOfRange(f, serviceAt + 1, f.length));
    }

    private static MdpMessage worker01(byte[][] f) {
        byte command = command(f, 2, "MDPW01");
        return switch (command) {
            case Wire.MDP01_READY -> new WorkerReady(Version.V01, service(exactly(f, 4, "READY")[3]));
            case Wire.MDP01_REPLY -> reply(Version.V01, f, 3, false);
            case Wire.MDP01_HEARTBEAT -> expect(f, 3, "HEARTBEAT", new WorkerHeartbeat(Version.V01));
            case Wire.MDP01_DISCONNECT -> expect(f, 3, "DISCONNECT", new WorkerDisconnect(Version.V01));
            default -> throw unexpected("MDPW01", command);
        };
    }

    private static MdpMessage worker02(byte[][] f) {
        byte command = command(f, 1, "MDPW02");
        return switch (command) {
            case Wire.MDP02_READY -> new WorkerReady(Version.V02, service(exactly(f, 3, "READY")[2]));
            case Wire.MDP02_PARTIAL -> reply(Version.V02, f, 2, true);
            case Wire.MDP02_FINAL -> reply(Version.V02, f, 2, false);
            case Wire.MDP02_HEARTBEAT -> expect(f, 2, "HEARTBEAT", new WorkerHeartbeat(Version.V02));
            case Wire.MDP02_DISCONNECT -> expect(f, 2, "DISCONNECT", new WorkerDisconnect(Version.V02));
            default -> throw unexpected("MDPW02", command);
        };
    }

    /** A reply: address at {@code at}, an empty delimiter, then the body frames. */
    private static WorkerReply reply(Version version, byte[][] f, int at, boolean partial) {
        if (f.length < at + 2 || f[at + 1].length != 0) {
            throw new ProtocolException(version.label() + " reply needs a client address and an empty delimiter");
        }
        return new WorkerReply(version, f[at], Arrays.copyOfRange(f, at + 2, f.length), partial);
    }

    /** Frames for a reply to a client; {@code partial} is honoured by MDP/0.2 only. */
    public static byte[][] clientReply(Version version, String service, byte[][] body, boolean partial) {
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        if (version == Version.V01) {
            return concat(new byte[][] {EMPTY, C01, name}, body);
        }
        byte command = partial ? Wire.MDP02_CLIENT_PARTIAL : Wire.MDP02_CLIENT_FINAL;
        return concat(new byte[][] {C02, {command}, name}, body);
    }

    /** Frames for a request to a worker; the worker copies {@code address} into its reply. */
    public static byte[][] workerRequest(Version version, byte[] address, byte[][] body) {
        if (version == Version.V01) {
            return concat(new byte[][] {EMPTY, W01, {Wire.MDP01_REQUEST}, address, EMPTY}, body);
        }
        return concat(new byte[][] {W02, {Wire.MDP02_REQUEST}, address, EMPTY}, body);
    }

    /** Frames for a heartbeat to a worker. */
    public static byte[][] workerHeartbeat(Version version) {
        return version == Version.V01 ? new byte[][] {EMPTY, W01, {Wire.MDP01_HEARTBEAT}}
                : new byte[][] {W02, {Wire.MDP02_HEARTBEAT}};
    }

    /** Frames for a disconnect to a worker. */
    public static byte[][] workerDisconnect(Version version) {
        return version == Version.V01 ? new byte[][] {EMPTY, W01, {Wire.MDP01_DISCONNECT}}
                : new byte[][] {W02, {Wire.MDP02_DISCONNECT}};
    }

    private static byte command(byte[][] f, int at, String protocol) {
        if (f.length <= at || f[at].length != 1) {
            throw new ProtocolException(protocol + ": command frame must be 1 byte");
        }
        return f[at][0];
    }

    private static byte[][] exactly(byte[][] f, int count, String command) {
        if (f.length != count) {
            throw new ProtocolException(command + " needs " + count + " frames, got " + f.length);
        }
        return f;
    }

    private static ProtocolException unexpected(String protocol, byte command) {
        return new ProtocolException(protocol + ": unexpected command 0x" + Integer.toHexString(command & 0xFF));
    }

    private static MdpMessage expect(byte[][] f, int count, String command, MdpMessage message) {
        exactly(f, count, command);
        return message;
    }

    private static String service(byte[] frame) {
        if (frame.length == 0 || frame.length > MAX_SERVICE_BYTES) {
            throw new ProtocolException("service name must be 1 to 255 bytes, got " + frame.length);
        }
        return Utf8.decode(frame, "service name");
    }

    private static byte[][] concat(byte[][] head, byte[][] tail) {
        byte[][] all = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
