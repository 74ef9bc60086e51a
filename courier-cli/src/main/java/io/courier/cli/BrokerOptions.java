package io.courier.cli;

import io.courier.client.ClientConfig;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --broker} option of client commands: one or more frontends, comma-separated, tried in order. */
final class BrokerOptions {
    static final String DEFAULT_BROKER = "tcp://127.0.0.1:5555";

    @Option(names = "--broker", paramLabel = "EP", split = ",", defaultValue = DEFAULT_BROKER,
            converter = Conversions.EndpointConverter.class,
            description = "Broker frontend(s) to connect to, tried in order (default: ${DEFAULT-VALUE}).")
    private List<String> endpoints;

    List<String> endpoints() {
        return endpoints;
    }

    /** The endpoints as the user typed them, for messages. */
    String shown() {
        return String.join(",", endpoints);
    }

    /** Client settings for these endpoints, named so that the broker's status shows who is connected. */
    ClientConfig clientConfig(String role) {
        return ClientConfig.of(endpoints.toArray(new String[0]))
                .withName("courier-" + role + "-" + ProcessHandle.current().pid());
    }
}
