package io.courier.broker.transport;

import io.courier.broker.peer.PeerId;
import io.courier.broker.service.ReplyRoute;
import io.courier.broker.service.WorkerLink;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage.Disconnect;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Job;
import io.courier.protocol.codec.NativeMessage.Reply;

/** Replies and jobs in Courier's native protocol (docs/protocol.md). Used on the broker loop thread only. */
final class NativeRoutes {
    static final String PROTOCOL = "courier";

    private NativeRoutes() {
    }

    /** The answer to one native REQUEST, by correlation id. */
    record ToClient(RouterOutbox out, PeerId peer, long correlationId) implements ReplyRoute {
        @Override
        public void reply(Headers headers, byte[][] body) {
            out.send(peer, new Reply(correlationId, headers, Bodies.join(body)));
        }

        @Override
        public void error(ErrorCode code, String reason) {
            out.send(peer, new ErrorReply(correlationId, code, reason));
        }

        @Override
        public String protocol() {
            return PROTOCOL;
        }
    }

    /** A native worker: JOB out; its DONE and FAIL come back through the frontend handler. */
    record ToWorker(RouterOutbox out, PeerId peer) implements WorkerLink {
        @Override
        public boolean sendJob(long jobId, int timeoutMillis, Headers headers, byte[][] body) {
            return out.send(peer, new Job(jobId, timeoutMillis, headers, Bodies.join(body)));
        }

        @Override
        public void sendDisconnect(String reason) {
            out.send(peer, new Disconnect(reason));
        }

        @Override
        public String protocol() {
            return PROTOCOL;
        }
    }
}
