package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.broker.config.BrokerConfig;
import io.courier.broker.config.QueuesConfig;
import io.courier.broker.queue.QueueSettings;
import io.courier.testkit.Closeables;
import io.courier.testkit.TestBroker;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code courier enqueue}, {@code consume} and {@code dlq} against an embedded broker. */
@Timeout(30)
class QueueCommandsTest {
    @TempDir
    Path data;

    private TestBroker broker;

    @BeforeEach
    void start() {
        QueueSettings defaults = QueueSettings.defaults();
        QueuesConfig queues = new QueuesConfig(defaults, Map.of(
                "small", defaults.withMaxMessages(2),
                "fragile", defaults.withMaxDeliver(1)));
        // Heartbeats the commands' default client settings live with on a busy machine.
        BrokerConfig config = TestBroker.config(data).withQueues(queues)
                .withHeartbeat(new BrokerConfig.Heartbeat(Duration.ofSeconds(1), 3));
        broker = TestBroker.start(config);
    }

    @AfterEach
    void stop() {
        Closeables.closeAll(broker);
    }

    private Cli.Result enqueueStdin(String input, String... args) {
        Cli cli = new Cli();
        cli.<EnqueueCommand>subcommand("enqueue", enqueue ->
                enqueue.stdin = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        return cli.execute(args);
    }

    @Test
    void shouldEnqueueAndConsumeOneMessage() {
        Cli.Result enqueued = Cli.run("enqueue", "--broker", broker.endpoint(), "--queue", "jobs", "--show-seq",
                "--header", "trace=abc", "hello");
        Cli.Result consumed = Cli.run("consume", "--broker", broker.endpoint(), "--queue", "jobs", "--count", "1",
                "--timeout", "5s");

        assertThat(enqueued.exitCode()).as(enqueued.toString()).isZero();
        assertThat(enqueued.out()).isEqualTo("1\n");
        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.out()).isEqualTo("hello\n");
        // the timeout includes connecting: long enough for a cold JVM on a busy machine
        Cli.Result empty = Cli.run("consume", "--broker", broker.endpoint(), "--queue", "jobs", "--count", "1",
                "--timeout", "2s");
        assertThat(empty.exitCode()).as(empty.toString()).isEqualTo(3);
        assertThat(empty.err()).contains("got 0 of 1 message within 2s (timeout)");
    }

    @Test
    void shouldEnqueueEachLineOfStdinAndConsumeThemInOrder() {
        StringBuilder input = new StringBuilder();
        StringBuilder seqs = new StringBuilder();
        for (int i = 1; i <= 300; i++) {
            input.append("line ").append(i).append('\n');
            seqs.append(i).append('\n');
        }
        Cli.Result enqueued = enqueueStdin(input.toString(), "enqueue", "--broker", broker.endpoint(), "--queue",
                "jobs", "--id", "batch", "--show-seq", "-");
        Cli.Result again = enqueueStdin("line 1\n", "enqueue", "--broker", broker.endpoint(), "--queue", "jobs",
                "--id", "batch", "--show-seq", "-");
        Cli.Result consumed = Cli.run("consume", "--broker", broker.endpoint(), "--queue", "jobs", "--count", "300",
                "--prefetch", "16", "--timeout", "10s");

        assertThat(enqueued.exitCode()).as(enqueued.toString()).isZero();
        assertThat(enqueued.out()).isEqualTo(seqs.toString());
        assertThat(again.out()).as("same id batch-1: a duplicate").isEqualTo("1\n");
        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.out()).isEqualTo(input.toString());
    }

    @Test
    void shouldLeaveMessagesQueuedWithNack() {
        Cli.run("enqueue", "--broker", broker.endpoint(), "--queue", "jobs", "keep me");

        Cli.Result peek = Cli.run("consume", "--broker", broker.endpoint(), "--queue", "jobs", "--count", "1",
                "--nack", "--show-seq", "--timeout", "5s");
        Cli.Result take = Cli.run("consume", "--broker", broker.endpoint(), "--queue", "jobs", "--count", "1",
                "--show-seq", "--timeout", "5s");

        assertThat(peek.exitCode()).as(peek.toString()).isZero();
        assertThat(peek.out()).isEqualTo("1 1 keep me\n");
        assertThat(take.out()).startsWith("1 ").endsWith(" keep me\n");
    }

    @Test
    void shouldReportHowManyLinesWereConfirmedBeforeAFullQueue() {
        Cli.Result result = enqueueStdin("a\nb\nc\n", "enqueue", "--broker", broker.endpoint(), "--queue", "small",
                "-");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).startsWith("courier: confirmed 2 of 3 lines before: queue 'small' is full")
                .contains("(backpressure)");
    }

    @Test
    void shouldListReplayAndPurgeDeadLetters() {
        Cli.run("enqueue", "--broker", broker.endpoint(), "--queue", "fragile", "poison");
        Cli.run("enqueue", "--broker", broker.endpoint(), "--queue", "fragile", "second");
        Cli.Result failed = Cli.run("consume", "--broker", broker.endpoint(), "--queue", "fragile", "--count", "2",
                "--nack", "--timeout", "5s");
        assertThat(failed.exitCode()).as(failed.toString()).isZero();

        Cli.Result listed = Cli.run("dlq", "--broker", broker.endpoint(), "--queue", "fragile", "list");
        Cli.Result replayed = Cli.run("dlq", "--broker", broker.endpoint(), "--queue", "fragile", "replay",
                "--count", "1");
        Cli.Result purged = Cli.run("dlq", "--broker", broker.endpoint(), "--queue", "fragile", "purge");
        Cli.Result back = Cli.run("consume", "--broker", broker.endpoint(), "--queue", "fragile", "--count", "1",
                "--timeout", "5s");

        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.out()).startsWith("SEQ  DELIVERIES  REASON").contains("poison").contains("second")
                .contains("max deliveries");
        assertThat(replayed.out()).isEqualTo("replayed 1 message from fragile.dlq\n");
        assertThat(purged.out()).isEqualTo("purged 1 message from fragile.dlq\n");
        assertThat(back.out()).isEqualTo("poison\n");
        Cli.Result none = Cli.run("dlq", "--broker", broker.endpoint(), "--queue", "never", "list");
        assertThat(none.exitCode()).as(none.toString()).isZero();
        assertThat(none.out()).contains("no dead letters");
    }

    @Test
    void shouldRefuseBadInputWithExitCode2() {
        String ep = broker.endpoint();
        assertThat(Cli.run("enqueue", "--broker", ep, "--queue", "", "x").err()).contains("--queue: must not be empty");
        assertThat(Cli.run("enqueue", "--broker", ep, "--queue", "q".repeat(256), "x").exitCode()).isEqualTo(2);
        assertThat(Cli.run("enqueue", "--broker", ep, "--queue", "q", "--ttl", "soon", "x").exitCode()).isEqualTo(2);
        assertThat(Cli.run("consume", "--broker", ep, "--queue", "q", "--prefetch", "0").exitCode()).isEqualTo(2);
        assertThat(Cli.run("consume", "--broker", ep, "--queue", "q", "--count", "0").exitCode()).isEqualTo(2);
        assertThat(Cli.run("dlq", "--broker", ep, "--queue", "q", "list", "--count", "5000").exitCode())
                .isEqualTo(2);
        assertThat(Cli.run("dlq", "--broker", ep, "--queue", "q", "shred").exitCode()).isEqualTo(2);
        assertThat(Cli.run("enqueue", "--help").out()).contains("Examples:").contains("courier enqueue --queue");
        assertThat(Cli.run("consume", "--help").out()).contains("courier consume --queue jobs");
        assertThat(Cli.run("dlq", "--help").out()).contains("courier dlq --queue jobs list");
    }
}
