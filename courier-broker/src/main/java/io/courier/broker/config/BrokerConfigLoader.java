package io.courier.broker.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Builds a {@link BrokerConfig} from, in rising precedence: the embedded defaults, a YAML file, {@code COURIER_*}
 * environment variables and explicit overrides (CLI flags), all named by the same dotted keys
 * ({@code endpoints.frontend}, {@code heartbeat.interval}, ...). Every key is documented in docs/configuration.md.
 */
public final class BrokerConfigLoader {
    private BrokerConfigLoader() {
    }

    /**
     * Loads the settings.
     *
     * @param file      a YAML file, or null for none
     * @param env       the environment (normally {@code System.getenv()}); only {@code COURIER_*} keys are read
     * @param overrides dotted keys to values, highest precedence (the CLI maps its flags here)
     * @throws io.courier.protocol.ConfigException naming the key and the problem
     */
    public static BrokerConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
