package io.courier.broker.security;

import java.util.Locale;

/**
 * What an access rule grants on a name: services are called or served, stream topics published or subscribed,
 * queues produced to or consumed from, and admin covers the broker's own commands (STATUS, QUEUE_ADMIN).
 */
public enum AccessOperation {
    CALL("service"),
    SERVE("service"),
    PUBLISH("topic"),
    SUBSCRIBE("topic"),
    PRODUCE("queue"),
    CONSUME("queue"),
    ADMIN("command");

    private final String subject;

    AccessOperation(String subject) {
        this.subject = subject;
    }

    /** The name in config keys, metric labels and refusals: {@code call}, {@code serve}, ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What the operation names: {@code service}, {@code topic}, {@code queue} or {@code command}. */
    public String subject() {
        return subject;
    }

    /** True for topics, whose patterns are always prefixes (a subscription is a prefix too). */
    public boolean prefixOnly() {
        return this == PUBLISH || this == SUBSCRIBE;
    }

    /** The operation of a config key's last part ({@code call}), or null. */
    public static AccessOperation of(String key) {
        for (AccessOperation op : values()) {
            if (op.key().equals(key)) {
                return op;
            }
        }
        return null;
    }
}
