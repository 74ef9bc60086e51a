package io.courier.broker;

import java.util.List;

/**
 * What a configuration reload did. Immutable.
 *
 * @param applied      keys whose new values are in force now
 * @param needsRestart keys whose new values take effect only after a restart (endpoints, the data directory,
 *                     the store settings)
 * @param error        why the new configuration was rejected (the old one stays in force), or null
 */
public record ReloadReport(List<String> applied, List<String> needsRestart, String error) {
    public ReloadReport {
        applied = List.copyOf(applied);
        needsRestart = List.copyOf(needsRestart);
    }

    public boolean ok() {
        return error == null;
    }
}
