package io.courier.broker;

import io.courier.broker.config.BrokerConfig;
import io.courier.broker.config.BrokerConfigLoader;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Which configuration keys changed between two configurations, and which of them need a restart. Stateless. */
final class ConfigDiff {
    private ConfigDiff() {
    }

    /**
     * Adds each changed key to {@code live} or, for what is fixed when the sockets are bound or the store is opened
     * (endpoints, the data directory, the store, CURVE, the allowlist, the handshake timeout), to {@code restart}.
     */
    static void compare(BrokerConfig before, BrokerConfig after, List<String> live, List<String> restart) {
        Map<String, String> old = BrokerConfigLoader.describe(before);
        Map<String, String> now = BrokerConfigLoader.describe(after);
        for (String gone : old.keySet()) {
            if (!now.containsKey(gone)) {
                live.add(gone);   // a retention rule removed
            }
        }
        if (!retentionKeys(old).equals(retentionKeys(now)) && live.isEmpty()) {
            live.add("streams.retention");   // rules reordered
        }
        for (Map.Entry<String, String> entry : now.entrySet()) {
            String key = entry.getKey();
            if (Objects.equals(old.get(key), entry.getValue())) {
                continue;
            }
            if (key.startsWith("endpoints.") || key.equals("dataDir") || key.startsWith("store.")
                    || key.startsWith("security.curve.") || key.equals("security.allowlist")
                    || key.equals("limits.handshakeTimeout")) {
                restart.add(key);
            } else {
                live.add(key);
            }
        }
    }

    private static List<String> retentionKeys(Map<String, String> described) {
        return described.keySet().stream().filter(key -> key.startsWith("streams.retention.")).toList();
    }
}
