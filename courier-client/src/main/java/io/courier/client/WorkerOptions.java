package io.courier.client;

import io.courier.core.ConfigException;
import java.nio.charset.StandardCharsets;

/**
 * What a worker serves: the service name and its capacity, the number of requests it handles in parallel
 * (the broker never sends it more than that at once). Immutable.
 */
public record WorkerOptions(String service, int capacity) {
    public WorkerOptions {
        if (service == null || service.isEmpty() || service.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new ConfigException("service: must be 1 to 255 bytes, got '" + service + "'");
        }
        if (service.startsWith("mmi.")) {
            throw new ConfigException("service: names starting with 'mmi.' are reserved for the broker");
        }
        if (capacity < 1) {
            throw new ConfigException("capacity: must be >= 1, got " + capacity);
        }
    }

    public static WorkerOptions of(String service) {
        return new WorkerOptions(service, 1);
    }

    public WorkerOptions withCapacity(int value) {
        return new WorkerOptions(service, value);
    }
}
