package io.courier.broker.transport;

import io.courier.broker.peer.PeerId;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.mdp.MdpCodec;

/**
 * The first look at a message on the frontend ROUTER: checks the limits (no frames, more than
 * {@code limits.maxFrames}, more than {@code limits.maxMessageBytes}), then tells the protocols apart by their
 * first frames: native {@code CRR1}, Majordomo (MDP/0.1 and MDP/0.2, client and worker), or neither. What fails is
 * counted as malformed and dropped; an oversize native message with a readable correlation id is answered
 * TOO_LARGE. Confined to the broker loop thread.
 */
final class ProtocolSniffer {
    /** Where a message goes after the first look. */
    enum Verdict {
        NATIVE,
        MAJORDOMO,
        /** Counted as malformed and dropped (and answered where it could be). */
        DROPPED
    }

    private final RouterOutbox out;
    private final MalformedMessages malformed;
    private FrontendSettings settings;

    ProtocolSniffer(FrontendSettings settings, RouterOutbox out, MalformedMessages malformed) {
        this.settings = settings;
        this.out = out;
        this.malformed = malformed;
    }

    /** New limits, live. */
    void onSettings(FrontendSettings value) {
        settings = value;
    }

    /** {@code f}: the peer's frames, without the routing id; {@code bytes}: their size together. */
    Verdict sniff(PeerId id, byte[][] f, long bytes) {
        if (f.length == 0) {
            malformed.dropped(id, "empty", "no frames");
            return Verdict.DROPPED;
        }
        if (f.length > settings.maxFrames()) {
            malformed.dropped(id, "too_many_frames", f.length + " frames, the most allowed is "
                    + settings.maxFrames());
            return Verdict.DROPPED;
        }
        if (bytes > settings.maxMessageBytes()) {
            malformed.dropped(id, "too_large", bytes + " bytes, the most allowed is " + settings.maxMessageBytes());
            if (NativeCodec.isNative(f[0]) && NativeCodec.hasCorrelationId(f)) {
                out.send(id, new ErrorReply(NativeCodec.correlationId(f), ErrorCode.TOO_LARGE, "message of " + bytes
                        + " bytes is over the broker's limit of " + settings.maxMessageBytes()));
            }
            return Verdict.DROPPED;
        }
        if (NativeCodec.isNative(f[0])) {
            return Verdict.NATIVE;
        }
        if (MdpCodec.isMajordomo(f)) {
            return Verdict.MAJORDOMO;
        }
        malformed.dropped(id, "unknown_protocol", "not CRR1, MDPC01/MDPW01 or MDPC02/MDPW02");
        return Verdict.DROPPED;
    }
}
