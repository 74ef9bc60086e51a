package io.courier.broker.config;

import io.courier.broker.queue.QueueSettings;
import io.courier.core.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Durable queue policies: {@code queues.defaults.*} for every queue not named, and {@code queues.<name>.*} for
 * named (declared) queues, each taking the defaults for what it leaves out. Immutable; validated on construction.
 * Changes apply live on reload.
 *
 * @param defaults the policy of every queue without a section of its own, dead-letter queues included
 * @param queues   queue name to its policy
 */
public record QueuesConfig(QueueSettings defaults, Map<String, QueueSettings> queues) {
    /** The word that names the defaults section, so no queue of that name can have a section. */
    public static final String DEFAULTS = "defaults";

    public QueuesConfig {
        if (defaults == null) {
            throw new ConfigException("queues.defaults: must be given");
        }
        if (queues == null) {
            throw new ConfigException("queues: must be given (an empty map for no named queues)");
        }
        for (Map.Entry<String, QueueSettings> e : queues.entrySet()) {
            String name = e.getKey();
            int bytes = name == null ? 0 : name.getBytes(StandardCharsets.UTF_8).length;
            if (bytes < 1 || bytes > QueueSettings.MAX_NAME_BYTES) {
                throw new ConfigException("queues: a queue name must be 1 to " + QueueSettings.MAX_NAME_BYTES
                        + " bytes of UTF-8, got '" + name + "'");
            }
            if (name.equals(DEFAULTS)) {
                throw new ConfigException("queues.defaults: names the defaults of every queue, not a queue");
            }
            if (e.getValue() == null) {
                throw new ConfigException("queues." + name + ": must be given");
            }
        }
        queues = Collections.unmodifiableMap(new TreeMap<>(queues));
    }

    /** {@link QueueSettings#defaults()}, no named queues. */
    public static QueuesConfig builtIn() {
        return new QueuesConfig(QueueSettings.defaults(), Map.of());
    }

    /** The policy of {@code queue}: its own, or the defaults. */
    public QueueSettings of(String queue) {
        return queues.getOrDefault(queue, defaults);
    }
}
