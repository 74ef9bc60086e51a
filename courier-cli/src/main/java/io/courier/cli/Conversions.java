package io.courier.cli;

import io.courier.core.ConfigException;
import io.courier.core.Durations;
import io.courier.protocol.Endpoints;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for the values users type: durations and endpoints. Stateless. */
final class Conversions {
    private Conversions() {
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}; picocli names the option in its error. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                Duration d = Durations.parse(value);
                if (d.isZero()) {
                    throw new TypeConversionException("'" + value + "' must be more than zero");
                }
                return d;
            } catch (ConfigException e) {
                throw new TypeConversionException("'" + value
                        + "' is not a duration: expected a number and a unit, like 500ms, 2s, 1m or 1h");
            }
        }
    }

    /** A ZeroMQ endpoint such as {@code tcp://127.0.0.1:5555}. */
    static final class EndpointConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return Endpoints.check("endpoint", value.trim());
            } catch (ConfigException e) {
                throw new TypeConversionException("'" + value + "' is not an endpoint: expected tcp://host:port");
            }
        }
    }
}
