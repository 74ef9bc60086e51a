package io.courier.core;

/** A configuration value is invalid; the message names the key and the problem. */
public final class ConfigException extends CourierException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String detail) {
        super(Reason.CONFIG, detail);
    }

    public ConfigException(String detail, Throwable cause) {
        super(Reason.CONFIG, detail, cause);
    }
}
