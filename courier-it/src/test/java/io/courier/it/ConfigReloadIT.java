package io.courier.it;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.broker.ReloadReport;
import io.courier.broker.config.BrokerConfig;
import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.client.RequestOptions;
import io.courier.core.ConfigException;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.testkit.Closeables;
import io.courier.testkit.Failures;
import io.courier.testkit.TestBroker;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Broker.reload: live settings apply to the running broker; an invalid configuration keeps the old one. */
@Timeout(15)
class ConfigReloadIT {
    private static final RequestOptions EIGHT_SECONDS = RequestOptions.of(Duration.ofSeconds(8), 0);

    @TempDir
    Path data;
    private TestBroker broker;
    private Client client;

    @BeforeEach
    void start() {
        BrokerConfig config = TestBroker.config(data);
        broker = TestBroker.start(config.withRequests(new BrokerConfig.Requests(Duration.ofSeconds(30),
                Duration.ofSeconds(6), 10_000)));
        client = Client.connect(broker.clientConfig());
    }

    @AfterEach
    void stop() {
        Closeables.closeAll(client, broker);
    }

    @Test
    void shouldApplyANewUnknownServiceWaitWithoutRestart() {
        BrokerConfig next = broker.broker().config().withRequests(new BrokerConfig.Requests(Duration.ofSeconds(30),
                Duration.ZERO, 10_000));

        ReloadReport report = broker.broker().reload(() -> next);

        assertThat(report.ok()).isTrue();
        assertThat(report.applied()).containsExactly("requests.unknownServiceWait");
        assertThat(report.needsRestart()).isEmpty();
        long begin = System.nanoTime();
        CourierException failure = Failures.courierFailure(client.request("nobody", Message.of("x"), EIGHT_SECONDS),
                ofSeconds(5));
        assertThat(failure.reason()).isEqualTo(Reason.UNKNOWN_SERVICE);
        assertThat((System.nanoTime() - begin) / 1_000_000).as("ms to UNKNOWN_SERVICE after the reload")
                .isLessThan(3_000);
    }

    @Test
    void shouldKeepTheRunningConfigurationWhenTheNewOneIsInvalid() {
        BrokerConfig before = broker.broker().config();

        ReloadReport report = broker.broker().reload(() -> {
            throw new ConfigException("heartbeat.liveness: must be >= 1, got 0");
        });

        assertThat(report.ok()).isFalse();
        assertThat(report.error()).contains("heartbeat.liveness");
        assertThat(broker.broker().config()).isEqualTo(before);
    }

    @Test
    void shouldReportEndpointChangesAsNeedingARestart() {
        BrokerConfig before = broker.broker().config();
        BrokerConfig next = before.withFrontend("tcp://127.0.0.1:1");

        ReloadReport report = broker.broker().reload(() -> next);

        assertThat(report.needsRestart()).containsExactly("endpoints.frontend");
        assertThat(broker.broker().config().endpoints()).isEqualTo(before.endpoints());
    }
}
