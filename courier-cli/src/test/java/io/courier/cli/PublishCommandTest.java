package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.broker.config.BrokerConfig;
import io.courier.client.Client;
import io.courier.client.StreamEvent;
import io.courier.client.SubscribeOptions;
import io.courier.testkit.Closeables;
import io.courier.testkit.TestBroker;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class PublishCommandTest {
    /**
     * Heartbeats the default client settings (those the commands use) can live with on a busy machine: a
     * publish whose connection is lost fails UNAVAILABLE rather than being sent twice, so a 300ms stall (the
     * test broker's default) must not count as a lost broker here.
     */
    private static final BrokerConfig.Heartbeat SLOW_HEARTBEAT = new BrokerConfig.Heartbeat(Duration.ofSeconds(1), 3);
    @TempDir
    Path data;

    private TestBroker broker;
    private Client client;

    @BeforeEach
    void start() {
        BrokerConfig config = TestBroker.config(data).withLimits(new BrokerConfig.Limits(1024, 64))
                .withHeartbeat(SLOW_HEARTBEAT);
        broker = TestBroker.start(config);
        client = Client.connect(broker.clientConfig().withHeartbeat(SLOW_HEARTBEAT.interval(),
                SLOW_HEARTBEAT.liveness()));
    }

    @AfterEach
    void stop() {
        Closeables.closeAll(client, broker);
    }

    @Test
    void shouldPublishOneConfirmedMessageAndPrintNothing() {
        Cli.Result result = Cli.run("publish", "--topic", "a.b", "--broker", broker.endpoint(),
                "--header", "trace=abc", "hello");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEmpty();
        List<StreamEvent> events = retained("a.b", 1);
        assertThat(events.get(0).seq()).isEqualTo(1);
        assertThat(events.get(0).bodyAsString()).isEqualTo("hello");
        assertThat(events.get(0).header("trace")).isEqualTo("abc");
    }

    @Test
    void shouldPrintTheSequenceNumberWithShowSeq() {
        Cli.Result first = Cli.run("publish", "--topic", "a.b", "--broker", broker.endpoint(), "--show-seq", "x");
        Cli.Result second = Cli.run("publish", "--topic", "a.b", "--broker", broker.endpoint(), "--show-seq", "y");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).isEqualTo("1\n");
        assertThat(second.out()).isEqualTo("2\n");
    }

    @Test
    void shouldPublishEachLineOfStdinInOrder() {
        StringBuilder input = new StringBuilder();
        StringBuilder seqs = new StringBuilder();
        for (int i = 1; i <= 500; i++) {
            input.append("line ").append(i).append('\n');
            seqs.append(i).append('\n');
        }

        Cli.Result result = withStdin(input.toString(), "publish", "--topic", "lines", "--broker", broker.endpoint(),
                "--show-seq", "-");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(seqs.toString());
        List<StreamEvent> events = retained("lines", 500);
        assertThat(events).extracting(StreamEvent::bodyAsString).startsWith("line 1", "line 2").endsWith("line 500");
    }

    @Test
    void shouldSayHowManyLinesWereConfirmedWhenOneFails() {
        String input = "one\ntwo\n" + "x".repeat(2_000) + "\nfour\n";

        Cli.Result result = withStdin(input, "publish", "--topic", "lines", "--broker", broker.endpoint(), "-");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).startsWith("courier: line 3: message too large for 'lines': ")
                .contains("over the broker's limit of 1024 bytes")
                .endsWith("(too large); stopped after 2 confirmed lines\n").hasLineCount(1);
    }

    @Test
    void shouldExitOneWhenTheMessageIsOverTheBrokersLimit() {
        Cli.Result result = Cli.run("publish", "--topic", "big", "--broker", broker.endpoint(), "x".repeat(2_000));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).startsWith("courier: message too large for 'big': ")
                .contains("over the broker's limit of 1024 bytes")
                .doesNotContain("code 413").hasLineCount(1);
    }

    @Test
    void shouldExitTwoForAnEmptyTopic() {
        Cli.Result result = Cli.run("publish", "--topic", "", "--broker", broker.endpoint(), "x");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).startsWith("courier: --topic: must not be empty").hasLineCount(1);
    }

    @Test
    void shouldExitTwoForATopicOver255Bytes() {
        Cli.Result result = Cli.run("publish", "--topic", "é".repeat(128), "--broker", broker.endpoint(), "x");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).startsWith("courier: --topic: is 256 bytes of UTF-8, the most is 255")
                .hasLineCount(1);
    }

    @Test
    void shouldExitThreeWhenNoBrokerAnswers() {
        broker.stop();

        Cli.Result result = Cli.run("publish", "--topic", "a.b", "--broker", broker.endpoint(), "--timeout", "300ms",
                "x");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.err()).isEqualTo("courier: not published within 300ms: no broker answers at "
                + broker.endpoint() + " (timeout)\n");
    }

    private static Cli.Result withStdin(String input, String... args) {
        Cli cli = new Cli();
        cli.<PublishCommand>subcommand("publish", publish ->
                publish.stdin = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        return cli.execute(args);
    }

    /** Reads back the first {@code count} retained messages of {@code topic}. */
    private List<StreamEvent> retained(String topic, int count) {
        List<StreamEvent> events = new CopyOnWriteArrayList<>();
        client.subscribe(topic, SubscribeOptions.ofFirst(), events::add);
        await(count + " retained messages of " + topic).atMost(Duration.ofSeconds(5))
                .until(() -> events.size() >= count);
        return events;
    }
}
