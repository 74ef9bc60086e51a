package io.courier.protocol;

import io.courier.core.ConfigException;

import java.util.regex.Pattern;

/** Checks ZeroMQ endpoint strings before they reach a socket, so a typo is a clear error, not an EINVAL. */
public final class Endpoints {
    private static final Pattern TCP = Pattern.compile("tcp://(\\*|\\[[0-9a-fA-F:.]+]|[A-Za-z0-9._-]+):(\\*|\\d{1,5})");
    private static final Pattern OTHER = Pattern.compile("(inproc|ipc)://.+");

    private Endpoints() {
    }

    /** Returns the endpoint if valid, or throws {@link ConfigException} naming the setting. */
    public static String check(String setting, String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new ConfigException(setting + ": must not be empty");
        }
        var tcp = TCP.matcher(endpoint);
        if (tcp.matches()) {
            String port = tcp.group(2);
            if (!"*".equals(port) && Integer.parseInt(port) > 65_535) {
                throw new ConfigException(setting + ": port out of range in '" + endpoint + "'");
            }
            return endpoint;
        }
        if (OTHER.matcher(endpoint).matches()) {
            return endpoint;
        }
        throw new ConfigException(setting + ": invalid endpoint '" + endpoint
                + "': expected tcp://host:port (or tcp://host:* for any free port)");
    }

    /** True when a tcp endpoint binds only the loopback interface. */
    public static boolean isLoopback(String endpoint) {
        return endpoint.startsWith("tcp://127.") || endpoint.startsWith("tcp://localhost:")
                || endpoint.startsWith("tcp://[::1]") || endpoint.startsWith("inproc://")
                || endpoint.startsWith("ipc://");
    }
}
