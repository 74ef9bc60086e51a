package io.courier.broker.transport;

import io.courier.protocol.Headers;

/**
 * What the frontend handler needs from the config: limits (message size, frames, tracked peers), heartbeats, and
 * the WELCOME properties it answers HELLO with. Immutable.
 */
record FrontendSettings(int maxFrames, long maxMessageBytes, int maxConnections, long heartbeatMillis, int liveness,
                        Headers welcome) {
}
