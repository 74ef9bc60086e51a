package io.courier.protocol.mdp;

/**
 * One Majordomo message as the broker sees it (ZeroMQ RFC 7 for MDP/0.1, RFC 18 for MDP/0.2), decoded by
 * {@link MdpCodec}. Immutable by convention: the frame arrays are never changed once decoded.
 */
public sealed interface MdpMessage {

    /** Which Majordomo version a peer speaks. */
    enum Version {
        V01("mdp/0.1"),
        V02("mdp/0.2");

        private final String label;

        Version(String label) {
            this.label = label;
        }

        /** The name shown in status and logs. */
        public String label() {
            return label;
        }
    }

    Version version();

    /** Client to broker: a request for {@code service}; {@code body} is every frame after the service name. */
    record ClientRequest(Version version, String service, byte[][] body) implements MdpMessage {
    }

    /** Worker to broker: serve {@code service}. */
    record WorkerReady(Version version, String service) implements MdpMessage {
    }

    /**
     * Worker to broker: a reply to the request sent with {@code address}; {@code partial} only in MDP/0.2, where
     * more replies follow until the FINAL one.
     */
    record WorkerReply(Version version, byte[] address, byte[][] body, boolean partial) implements MdpMessage {
    }

    /** Worker to broker: alive. */
    record WorkerHeartbeat(Version version) implements MdpMessage {
    }

    /** Worker to broker: leaving. */
    record WorkerDisconnect(Version version) implements MdpMessage {
    }
}
