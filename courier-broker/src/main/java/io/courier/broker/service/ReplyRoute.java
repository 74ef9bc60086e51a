package io.courier.broker.service;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;

/**
 * Where the answer to one request goes, in the protocol its client speaks (native, MDP/0.1, MDP/0.2). Made by
 * the transport as it decodes a request; called on the broker loop thread only.
 */
public interface ReplyRoute {
    /** The final reply; {@code body} holds the worker's frames (a native worker sends one). */
    void reply(Headers headers, byte[][] body);

    /** An MDP/0.2 partial reply; clients that cannot take one ignore it. */
    default void partial(byte[][] body) {
    }

    /** The request failed; clients whose protocol has no error reply (Majordomo) get nothing. */
    void error(ErrorCode code, String reason);

    /** The protocol label for status and logs: {@code courier}, {@code mdp/0.1} or {@code mdp/0.2}. */
    String protocol();
}
