package io.courier.broker.metrics;

/**
 * A snapshot of the broker's counters, safe to read from any thread.
 *
 * @param services           services with at least one worker or one queued request
 * @param workers            workers registered now, all services together
 * @param queuedRequests     requests waiting for a worker, all services together
 * @param inFlightRequests   requests handed to a worker and not yet answered
 * @param connections        native and MDP peers the broker knows now (clients and workers)
 * @param requests           requests received since start
 * @param malformedMessages  messages dropped or refused as malformed since start
 * @param loopPasses         passes of the broker loop since start (poll, drain, timers, flush)
 * @param emptyWakes         passes woken before their timeout that found nothing to do, each followed by one yield
 *                           of the CPU (docs/architecture.md "Empty wake-ups")
 */
public record BrokerStats(long services, long workers, long queuedRequests, long inFlightRequests, long connections,
                          long requests, long malformedMessages, long loopPasses, long emptyWakes) {
}
