package io.courier.broker.service;

import io.courier.protocol.Headers;

/**
 * How the broker talks to one worker, in the protocol the worker speaks. Made by the transport when a worker
 * registers; called on the broker loop thread only. Sends never block: false means the message could not be
 * queued (the peer is gone or its queue is full).
 */
public interface WorkerLink {
    /** Sends one job; {@code timeoutMillis} is the time left before the request's deadline. */
    boolean sendJob(long jobId, int timeoutMillis, Headers headers, byte[][] body);

    /** Tells the worker to go away (broker closing, or the worker broke the protocol). */
    void sendDisconnect(String reason);

    /** The protocol label for status and logs. */
    String protocol();
}
