package io.courier.broker.service;

import java.time.Duration;

/**
 * The request router's settings, taken from the broker config. Immutable.
 *
 * @param defaultTimeout      deadline of requests that give none (Majordomo requests never do)
 * @param unknownServiceWait  how long a request for a service with no worker waits for one to register
 * @param maxQueuedPerService requests waiting per service before QUEUE_FULL
 */
public record RouterSettings(Duration defaultTimeout, Duration unknownServiceWait, int maxQueuedPerService) {
}
