package io.courier.cli;

import io.courier.client.ClientConfig;
import io.courier.client.CurveCertificate;
import io.courier.core.ConfigException;
import io.courier.core.certificate.CurveKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The broker options of client commands: {@code --broker}, one or more frontends, comma-separated, tried in order;
 * and, for a broker with CURVE security, {@code --server-key} and {@code --cert}.
 */
final class BrokerOptions {
    static final String DEFAULT_BROKER = "tcp://127.0.0.1:5555";

    @Option(names = "--broker", paramLabel = "EP", split = ",", defaultValue = DEFAULT_BROKER,
            converter = Conversions.EndpointConverter.class,
            description = "Broker frontend(s) to connect to, tried in order (default: ${DEFAULT-VALUE}).")
    private List<String> endpoints;

    @Option(names = "--server-key", paramLabel = "KEY|FILE",
            description = "The broker's CURVE public key: 40 Z85 characters, or its public certificate file "
                    + "(broker.key). Give it with --cert to connect with CURVE security.")
    private String serverKey;

    @Option(names = "--cert", paramLabel = "FILE",
            description = "This client's secret certificate (NAME.key_secret, from 'courier keygen NAME'), whose "
                    + "public key is in the broker's allowlist.")
    private Path cert;

    List<String> endpoints() {
        return endpoints;
    }

    /** The endpoints as the user typed them, for messages. */
    String shown() {
        return String.join(",", endpoints);
    }

    /** Client settings for these endpoints, named so that the broker's status shows who is connected. */
    ClientConfig clientConfig(String role) {
        ClientConfig config = ClientConfig.of(endpoints.toArray(new String[0]))
                .withName("courier-" + role + "-" + ProcessHandle.current().pid());
        if (serverKey == null && cert == null) {
            return config;
        }
        if (serverKey == null || cert == null) {
            throw new ConfigException((serverKey == null ? "--cert" : "--server-key") + " needs "
                    + (serverKey == null ? "--server-key" : "--cert") + " too: CURVE takes the broker's public key "
                    + "and this client's certificate");
        }
        return config.withCurve(serverPublicKey(serverKey), CurveCertificate.load(cert));
    }

    /** A Z85 key as given, or the public key of the certificate file it names. */
    static String serverPublicKey(String keyOrFile) {
        if (CurveKeys.problem(keyOrFile) == null && !Files.exists(Path.of(keyOrFile))) {
            return keyOrFile;
        }
        Path file = Path.of(keyOrFile);
        if (!Files.exists(file)) {
            throw new ConfigException("--server-key: neither a CURVE key (" + CurveKeys.problem(keyOrFile)
                    + ") nor a certificate file: " + keyOrFile);
        }
        return CurveCertificate.load(file).publicKey();
    }
}
