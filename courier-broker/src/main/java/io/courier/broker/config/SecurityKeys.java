package io.courier.broker.config;

import io.courier.broker.security.SecurityConfig;
import io.courier.core.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code security.*} keys of {@link BrokerConfigLoader}: how each is printed and parsed. Address lists are one
 * value, comma-separated ({@code 10.0.0.0/8, 192.168.1.7}); {@code any} (for {@code ipAllow}) and {@code none}
 * (for {@code ipDeny}) mean an empty list. Stateless.
 */
final class SecurityKeys {
    static final String ENABLED = "security.curve.enabled";
    static final String SECRET_KEY_FILE = "security.curve.secretKeyFile";
    static final String ALLOWLIST = "security.allowlist";
    static final String IP_ALLOW = "security.ipAllow";
    static final String IP_DENY = "security.ipDeny";
    private static final String ANY = "any";
    private static final String NONE = "none";

    private SecurityKeys() {
    }

    /** Adds the keys, in document order, with their printers. */
    static void addKeys(Map<String, Function<BrokerConfig, String>> keys) {
        keys.put(ENABLED, c -> Boolean.toString(c.security().curveEnabled()));
        keys.put(SECRET_KEY_FILE, c -> c.security().secretKeyFile().toString());
        keys.put(ALLOWLIST, c -> c.security().allowlist().toString());
        keys.put(IP_ALLOW, c -> list(c.security().ipAllow(), ANY));
        keys.put(IP_DENY, c -> list(c.security().ipDeny(), NONE));
    }

    /** The security settings of {@code values} (key to text), each missing one from {@code d}. */
    static SecurityConfig security(Map<String, String> values, SecurityConfig d) {
        return new SecurityConfig(
                text(values, ENABLED).map(SecurityKeys::bool).orElse(d.curveEnabled()),
                text(values, SECRET_KEY_FILE).map(t -> ConfigValues.path(SECRET_KEY_FILE, t))
                        .orElse(d.secretKeyFile()),
                text(values, ALLOWLIST).map(t -> ConfigValues.path(ALLOWLIST, t)).orElse(d.allowlist()),
                text(values, IP_ALLOW).map(t -> addresses(IP_ALLOW, t, ANY)).orElse(d.ipAllow()),
                text(values, IP_DENY).map(t -> addresses(IP_DENY, t, NONE)).orElse(d.ipDeny()));
    }

    private static Optional<String> text(Map<String, String> values, String key) {
        String text = values.get(key);
        if (text == null) {
            return Optional.empty();
        }
        if (text.isBlank()) {
            throw new ConfigException(key + ": empty value (give one, or leave it out for the default)");
        }
        return Optional.of(text.strip());
    }

    private static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(ENABLED + ": expected true or false, got '" + text + "'");
        };
    }

    private static List<String> addresses(String key, String text, String empty) {
        if (text.equalsIgnoreCase(empty)) {
            return List.of();
        }
        List<String> entries = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String entry = part.strip();
            if (entry.isEmpty()) {
                throw new ConfigException(key + ": empty entry in '" + text + "' (comma-separated addresses or CIDR "
                        + "blocks, or '" + empty + "')");
            }
            if (entry.equalsIgnoreCase(ANY) || entry.equalsIgnoreCase(NONE)) {
                throw new ConfigException(key + ": '" + entry + "' cannot be mixed with addresses; '" + empty
                        + "' alone means an empty list");
            }
            entries.add(entry);
        }
        return entries;
    }

    private static String list(List<String> entries, String empty) {
        return entries.isEmpty() ? empty : String.join(",", entries);
    }
}
