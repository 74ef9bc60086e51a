package io.courier.protocol.codec;

import io.courier.protocol.Command;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.SlowPolicy;
import io.courier.protocol.StreamStart;
import java.util.List;
import java.util.Map;

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

    /**
     * Client to broker: publish one message to the stream {@code topic} (1 to 255 bytes of UTF-8). A correlation
     * id other than 0 asks for a PUBACK (or an ERROR); 0 asks for nothing.
     */
    record Publish(long correlationId, String topic, Headers headers, byte[] body) implements NativeMessage {
        public Command command() {
            return Command.PUBLISH;
        }
    }

    /** Broker to client: the PUBLISH with this correlation id was taken as message {@code seq} of {@code topic}. */
    record PubAck(long correlationId, String topic, long seq) implements NativeMessage {
        public Command command() {
            return Command.PUBACK;
        }
    }

    /**
     * Client to broker: open (or replace) subscription {@code subscriptionId} to every stream whose topic starts
     * with {@code prefix} (0 to 255 bytes; empty matches all). {@code startValue} is the first seq for
     * {@link StreamStart#SEQ}, epoch millis for {@link StreamStart#TIME}, and 0 otherwise. {@code resume} maps topics
     * to the next seq wanted and overrides the start for those streams; empty for none.
     */
    record Subscribe(long subscriptionId, String prefix, StreamStart start, long startValue, SlowPolicy policy,
                     Map<String, Long> resume) implements NativeMessage {
        public Subscribe {
            resume = Map.copyOf(resume);
        }

        public Command command() {
            return Command.SUBSCRIBE;
        }

        /** Where a subscription starts; the wire byte is {@link #code()}. */
    }

    /** Broker to client: the subscription is live. {@code heads} maps each matching stream to its newest seq. */
    record Subscribed(long subscriptionId, Map<String, Long> heads) implements NativeMessage {
        public Subscribed {
            heads = Map.copyOf(heads);
        }

        public Command command() {
            return Command.SUBSCRIBED;
        }
    }

    /** Client to broker: end the subscription. */
    record Unsubscribe(long subscriptionId) implements NativeMessage {
        public Command command() {
            return Command.UNSUBSCRIBE;
        }
    }

    /** Broker to client: message {@code seq} of stream {@code topic}, with one or more body frames. */
    record Event(long subscriptionId, String topic, long seq, long timestampMillis, Headers headers, byte[][] body)
            implements NativeMessage {
        public Command command() {
            return Command.EVENT;
        }
    }

    /** Broker to client: messages {@code fromSeq} to {@code toSeq} (inclusive) of {@code topic} are gone. */
    record Loss(long subscriptionId, String topic, long fromSeq, long toSeq, String reason) implements NativeMessage {
        public Command command() {
            return Command.LOSS;
        }
    }

    /** Client to broker: send again messages {@code fromSeq} to {@code toSeq} (inclusive) of {@code topic}. */
    record Replay(long subscriptionId, String topic, long fromSeq, long toSeq) implements NativeMessage {
        public Command command() {
            return Command.REPLAY;
        }
    }

    /**
     * Client to broker: several publishes in one message, in order. A correlation id other than 0 asks for one
     * PUBACK_BATCH (or an ERROR for the whole batch); 0 asks for nothing.
     */
    record PublishBatch(long correlationId, List<Entry> entries) implements NativeMessage {
        /** One publish of a batch: as a PUBLISH without its correlation id. */
        public record Entry(String topic, Headers headers, byte[] body) {
        }

        public Command command() {
            return Command.PUBLISH_BATCH;
        }
    }

    /**
     * Broker to client: the seqs the entries of the PUBLISH_BATCH with this correlation id were given, in entry
     * order; 0 for an entry the broker refused (it would have created a stream beyond maxStreams).
     */
    record PubAckBatch(long correlationId, long[] seqs) implements NativeMessage {
        public Command command() {
            return Command.PUBACK_BATCH;
        }
    }

    /** Broker to client: several EVENTs of one subscription in one message, in order; each has its id. */
    record EventBatch(long subscriptionId, List<Event> events) implements NativeMessage {
        public Command command() {
            return Command.EVENT_BATCH;
        }
    }

    /** Broker to client: the broker ended the subscription ({@code too slow}, refused, ...). */
    record Unsubscribed(long subscriptionId, String reason) implements NativeMessage {
        public Command command() {
            return Command.UNSUBSCRIBED;
        }
    }

    /**
     * Client to broker: store a message in {@code queue}. {@code messageId} is the producer's id for duplicate
     * detection, empty for none; {@code ttlMillis} 0 means the queue's own time to live.
     */
    record Enqueue(long correlationId, String queue, String messageId, int ttlMillis, Headers headers, byte[] body)
            implements NativeMessage {
        public Command command() {
            return Command.ENQUEUE;
        }
    }

    /** Broker to client: the enqueued message is stored as {@code seq}, or was already ({@code duplicate}). */
    record Confirm(long correlationId, String queue, long seq, boolean duplicate) implements NativeMessage {
        public Command command() {
            return Command.CONFIRM;
        }
    }

    /** Client to broker: deliver messages of {@code queue} to this consumer, at most {@code prefetch} unacked. */
    record Consume(long consumerId, String queue, int prefetch) implements NativeMessage {
        public Command command() {
            return Command.CONSUME;
        }
    }

    /** Broker to client: the consumer is attached. */
    record Consuming(long consumerId, String queue) implements NativeMessage {
        public Command command() {
            return Command.CONSUMING;
        }
    }

    /**
     * Broker to client: one delivery of message {@code seq}. {@code tag} names the delivery in ACK and NACK;
     * {@code deliveries} counts this one (1 is a first delivery).
     */
    record Deliver(long consumerId, String queue, long tag, long seq, int deliveries, long enqueuedAtMillis,
                   Headers headers, byte[] body) implements NativeMessage {
        public Command command() {
            return Command.DELIVER;
        }
    }

    /** Client to broker: the deliveries {@code tags} (at least one) are done with. */
    record Ack(long consumerId, long[] tags) implements NativeMessage {
        public Command command() {
            return Command.ACK;
        }
    }

    /** Client to broker: delivery {@code tag} failed; requeue it (after {@code delayMillis}) or dead-letter it. */
    record Nack(long consumerId, long tag, boolean requeue, int delayMillis) implements NativeMessage {
        public Command command() {
            return Command.NACK;
        }
    }

    /** Client to broker: detach the consumer; its unacked deliveries go back to the queue. */
    record Cancel(long consumerId) implements NativeMessage {
        public Command command() {
            return Command.CANCEL;
        }
    }

    /** Broker to client: the consumer is detached (asked for, or the broker's decision, with the reason). */
    record Cancelled(long consumerId, String reason) implements NativeMessage {
        public Command command() {
            return Command.CANCELLED;
        }
    }

    /** Client to broker: list, replay (dead letters back to their queue) or purge {@code queue}. */
    record QueueAdmin(long correlationId, Operation operation, String queue, int count) implements NativeMessage {
        public Command command() {
            return Command.QUEUE_ADMIN;
        }

        /** What a QUEUE_ADMIN does; the wire byte is {@link #code()}. */
        public enum Operation {
            LIST, REPLAY, PURGE;

            public byte code() {
                return (byte) ordinal();
            }
        }
    }

    /** Broker to client: how many messages the QUEUE_ADMIN affected and, for LIST, the messages. */
    record QueueAdminReply(long correlationId, int affected, List<ListedMessage> messages) implements NativeMessage {
        public QueueAdminReply {
            messages = List.copyOf(messages);
        }

        public Command command() {
            return Command.QUEUE_ADMIN_REPLY;
        }

        /** One message a LIST shows: its seq, delivery count so far, enqueue time, headers and body. */
        public record ListedMessage(long seq, int deliveries, long enqueuedAtMillis, Headers headers, byte[] body) {
        }
    }
}
