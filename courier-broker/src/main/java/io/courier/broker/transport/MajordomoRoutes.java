package io.courier.broker.transport;

import io.courier.broker.peer.PeerId;
import io.courier.broker.service.ReplyRoute;
import io.courier.broker.service.WorkerLink;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.mdp.MdpCodec;
import io.courier.protocol.mdp.MdpMessage.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replies and requests in Majordomo (RFC 7, RFC 18). Majordomo has no error reply and no headers: errors are
 * logged at DEBUG and the client's own timeout tells it; headers are not carried to Majordomo peers. Used on the
 * broker loop thread only.
 */
final class MajordomoRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(MajordomoRoutes.class);

    private MajordomoRoutes() {
    }

    /** The answer to one Majordomo client request. */
    record ToClient(RouterOutbox out, PeerId peer, Version version, String service) implements ReplyRoute {
        @Override
        public void reply(Headers headers, byte[][] body) {
            out.send(peer, MdpCodec.clientReply(version, service, body, false));
        }

        @Override
        public void partial(byte[][] body) {
            if (version == Version.V02) {
                out.send(peer, MdpCodec.clientReply(version, service, body, true));
            }
        }

        @Override
        public void error(ErrorCode code, String reason) {
            LOG.debug("majordomo request failed, no error reply in the protocol peer={} service={} code={} reason={}",
                    peer, service, code.code(), reason);
        }

        @Override
        public String protocol() {
            return version.label();
        }
    }

    /** A Majordomo worker: the job id travels as the client address, which the worker copies into its reply. */
    record ToWorker(RouterOutbox out, PeerId peer, Version version) implements WorkerLink {
        @Override
        public boolean sendJob(long jobId, int timeoutMillis, Headers headers, byte[][] body) {
            return out.send(peer, MdpCodec.workerRequest(version, NativeCodec.u64(jobId), body));
        }

        @Override
        public void sendDisconnect(String reason) {
            out.send(peer, MdpCodec.workerDisconnect(version));
        }

        @Override
        public String protocol() {
            return version.label();
        }
    }
}
