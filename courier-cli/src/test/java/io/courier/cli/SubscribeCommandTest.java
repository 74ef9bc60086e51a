package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.broker.config.BrokerConfig;
import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.testkit.Closeables;
import io.courier.testkit.TestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SubscribeCommandTest {
    /**
     * Heartbeats the default client settings (those the commands use) can live with on a busy machine: a
     * publish whose connection is lost fails UNAVAILABLE rather than being sent twice, so a 300ms stall (the
     * test broker's default) must not count as a lost broker here.
     */
    private static final BrokerConfig.Heartbeat SLOW_HEARTBEAT = new BrokerConfig.Heartbeat(Duration.ofSeconds(1), 3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private TestBroker broker;
    private Client publisher;

    @BeforeEach
    void start() {
        broker = TestBroker.start(TestBroker.config(data).withHeartbeat(SLOW_HEARTBEAT));
        publisher = Client.connect(broker.clientConfig().withHeartbeat(SLOW_HEARTBEAT.interval(),
                SLOW_HEARTBEAT.liveness()));
    }

    @AfterEach
    void stop() {
        Closeables.closeAll(publisher, broker);
    }

    @Test
    void shouldPrintRetainedMessagesInOrderFromFirst() throws Exception {
        publish("a.b", "one", "two", "three");

        Cli.Result result = Cli.run("subscribe", "--topic", "a.", "--broker", broker.endpoint(), "--from", "first",
                "--count", "3", "--timeout", "5s");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("one\ntwo\nthree\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void shouldPrefixTopicAndSeqWithShowSeq() throws Exception {
        publish("a.b", "one", "two");

        Cli.Result result = Cli.run("subscribe", "--topic", "a.", "--broker", broker.endpoint(), "--from", "first",
                "--count", "2", "--timeout", "5s", "--show-seq");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("a.b 1 one\na.b 2 two\n");
    }

    @Test
    void shouldPrintLiveMessagesFromNowOn() throws Exception {
        publish("a.b", "old");
        Cli subscriber = new Cli().start("subscribe", "--topic", "a.", "--broker", broker.endpoint(), "--count", "2",
                "--timeout", "8s");
        awaitSubscriptions(1);

        publish("a.b", "new 1");
        publish("x.y", "not for us");
        publish("a.c", "new 2");

        Cli.Result result = subscriber.await();
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("new 1\nnew 2\n");
    }

    @Test
    void shouldStartFromTheLastValueOfEachStream() throws Exception {
        publish("fx.eur", "1.07", "1.08");
        publish("fx.gbp", "0.85");

        Cli.Result result = Cli.run("subscribe", "--topic", "fx.", "--broker", broker.endpoint(), "--from", "last",
                "--count", "2", "--timeout", "5s");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().split("\n")).containsExactlyInAnyOrder("1.08", "0.85");
    }

    @Test
    void shouldStartFromASequenceNumber() throws Exception {
        publish("a.b", "one", "two", "three", "four");

        Cli.Result result = Cli.run("subscribe", "--topic", "a.b", "--broker", broker.endpoint(), "--from", "3",
                "--count", "2", "--timeout", "5s");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("three\nfour\n");
    }

    @Test
    void shouldStartFromATimeAgo() throws Exception {
        publish("a.b", "one", "two");

        Cli.Result result = Cli.run("subscribe", "--topic", "a.b", "--broker", broker.endpoint(), "--from", "-1m",
                "--count", "2", "--timeout", "5s");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("one\ntwo\n");
    }

    @Test
    void shouldSayWhenTheSeqIsBeyondTheHeadAndWaitForIt() throws Exception {
        publish("a.b", "one", "two");
        Cli subscriber = new Cli().start("subscribe", "--topic", "a.", "--broker", broker.endpoint(), "--from", "4",
                "--count", "1", "--timeout", "8s");
        await("the beyond-the-head notice").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> subscriber.err().contains("waiting"));

        publish("a.b", "three", "four");

        Cli.Result result = subscriber.await();
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("four\n");
        assertThat(result.err()).isEqualTo("courier: seq 4 is beyond the head of the stream 'a.b' (2); "
                + "waiting for it\n");
    }

    @Test
    void shouldReportLossOnStderrAndGoOn() throws Exception {
        publish("a.b", "before");
        Cli subscriber = new Cli().start("subscribe", "--topic", "a.", "--broker", broker.endpoint(), "--from",
                "first", "--count", "2", "--timeout", "8s", "--show-seq");
        subscriber.awaitOut("a.b 1 before");

        broker.restart();   // a new broker: sequence numbers restart, which the client reports as a loss
        awaitSubscriptions(1);
        publish("a.b", "after");

        Cli.Result result = subscriber.await();
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("a.b 1 before\na.b 1 after\n");
        assertThat(result.err()).isEqualTo("courier: lost topic a.b seq 2..end: broker restarted; sequence numbers "
                + "restart\n");
    }

    @Test
    void shouldExitThreeWhenNoMessageComesInTime() {
        // The timeout includes connecting, so it leaves a cold JVM on a busy machine time to connect.
        Cli.Result result = Cli.run("subscribe", "--topic", "a.", "--broker", broker.endpoint(), "--timeout",
                "2s");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.err()).isEqualTo("courier: no message for 2s (timeout)\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldExitThreeWhenFewerThanCountArriveInTime() throws Exception {
        publish("a.b", "only one");

        Cli.Result result = Cli.run("subscribe", "--topic", "a.", "--broker", broker.endpoint(), "--from", "first",
                "--count", "2", "--timeout", "2s");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.out()).isEqualTo("only one\n");
        assertThat(result.err()).isEqualTo("courier: got 1 of 2 messages within 2s (timeout)\n");
    }

    @Test
    void shouldExitTwoNamingTheOptionAndValueOfABadFrom() {
        Cli.Result result = Cli.run("subscribe", "--topic", "a.", "--broker", broker.endpoint(), "--from",
                "yesterday");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).startsWith("courier: ").contains("--from").contains("'yesterday'")
                .contains("-5m").hasLineCount(1);
    }

    @Test
    void shouldExitTwoForABadCount() {
        Cli.Result result = Cli.run("subscribe", "--topic", "a.", "--broker", broker.endpoint(), "--count", "0");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).startsWith("courier: --count: must be at least 1").hasLineCount(1);
    }

    @Test
    void shouldAcceptAnEmptyPrefixForEveryTopic() throws Exception {
        publish("a.b", "one");
        publish("z", "two");

        Cli.Result result = Cli.run("subscribe", "--topic", "", "--broker", broker.endpoint(), "--from", "first",
                "--count", "2", "--timeout", "5s");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().split("\n")).containsExactlyInAnyOrder("one", "two");
    }

    private void publish(String topic, String... bodies) throws Exception {
        for (String body : bodies) {
            publisher.publish(topic, Message.of(body)).get(5, TimeUnit.SECONDS);
        }
    }

    /** The slow-joiner wait: until the broker's status lists {@code count} subscriptions. */
    private void awaitSubscriptions(int count) {
        await(count + " subscriptions in the broker's status").atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> JSON.readTree(broker.broker().status().get(1, TimeUnit.SECONDS))
                        .path("subscriptions").size() == count);
    }
}
