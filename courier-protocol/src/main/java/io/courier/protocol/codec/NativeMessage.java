package io.courier.protocol.codec;

import io.courier.protocol.Command;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;

/**
 * One message of the native protocol, decoded (docs/protocol.md, section 4). Immutable by convention: the
 * {@code byte[]} bodies are never changed once a message is built, so messages may cross threads freely.
 */
public sealed interface NativeMessage {

    Command command();

    /** Client to broker, opens a session. Properties: {@code name}, {@code version}. */
    record Hello(Headers properties) implements NativeMessage {
        public Command command() {
            return Command.HELLO;
        }
    }

    /** Broker to client, answers HELLO. Properties: {@code broker-id}, {@code heartbeat-ms}, endpoints. */
    record Welcome(Headers properties) implements NativeMessage {
        public Command command() {
            return Command.WELCOME;
        }
    }

    /** Client to broker. {@code timeoutMillis} 0 means the broker's default. */
    record Request(long correlationId, String service, int timeoutMillis, Headers headers, byte[] body)
            implements NativeMessage {
        public Command command() {
            return Command.REQUEST;
        }
    }

    /** Broker to client: the worker's answer to the request with this correlation id. */
    record Reply(long correlationId, Headers headers, byte[] body) implements NativeMessage {
        public Command command() {
            return Command.REPLY;
        }
    }

    /** Broker to client: the request with this correlation id failed. */
    record ErrorReply(long correlationId, ErrorCode code, String reason) implements NativeMessage {
        public Command command() {
            return Command.ERROR;
        }
    }

    /** Either way: the sender is alive. */
    record Heartbeat() implements NativeMessage {
        public Command command() {
            return Command.HEARTBEAT;
        }
    }

    /** Either way: the sender is going away, or refuses the peer; {@code reason} may be empty. */
    record Disconnect(String reason) implements NativeMessage {
        public Command command() {
            return Command.DISCONNECT;
        }
    }

    /** Worker to broker: serve {@code service}, taking up to {@code capacity} jobs at once. */
    record Ready(String service, int capacity, Headers properties) implements NativeMessage {
        public Command command() {
            return Command.READY;
        }
    }

    /** Broker to worker: one request to handle, with the time left before its deadline. */
    record Job(long jobId, int timeoutMillis, Headers headers, byte[] body) implements NativeMessage {
        public Command command() {
            return Command.JOB;
        }
    }

    /** Worker to broker: the reply to a job. */
    record Done(long jobId, Headers headers, byte[] body) implements NativeMessage {
        public Command command() {
            return Command.DONE;
        }
    }

    /** Worker to broker: the job failed in the handler. */
    record Fail(long jobId, ErrorCode code, String reason) implements NativeMessage {
        public Command command() {
            return Command.FAIL;
        }
    }

    /** Client to broker: an admin status query. */
    record Status(long correlationId) implements NativeMessage {
        public Command command() {
            return Command.STATUS;
        }
    }

    /** Broker to client: the status as a JSON document. */
    record StatusReply(long correlationId, String json) implements NativeMessage {
        public Command command() {
            return Command.STATUS_REPLY;
        }
    }
}
