package io.courier.client;

/**
 * Handles one request for a {@link Worker}; returns the reply. Called on the worker's handler threads, up to
 * {@code capacity} at once, never on the I/O thread. Throwing fails the request: the client gets
 * SERVICE_ERROR with the exception's message.
 */
@FunctionalInterface
public interface RequestHandler {
    Message handle(Message request) throws Exception;
}
