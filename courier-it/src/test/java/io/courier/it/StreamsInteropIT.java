package io.courier.it;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.client.Client;
import io.courier.client.StreamEvent;
import io.courier.client.SubscribeOptions;
import io.courier.testkit.Closeables;
import io.courier.testkit.PyProcess;
import io.courier.testkit.PyZmq;
import io.courier.testkit.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain pyzmq (libzmq) PUB through the broker reaches a plain pyzmq SUB and a Courier subscriber with exactly the
 * frames it sent (src/test/resources/pyzmq/pubsub_pair.py). Skipped when pyzmq is missing.
 */
@Timeout(30)
class StreamsInteropIT {
    private static final List<String> SENT = List.of(
            hex("interop.multi") + ":000102:" + hex("tail"),
            hex("interop.single payload with spaces"),
            hex("interop.binary") + ":" + HexFormat.of().formatHex(allBytes()),
            hex("interop.multi") + "::" + hex("second"));

    @TempDir
    Path data;
    private TestBroker broker;
    private Client subscriber;
    private PyProcess script;

    @BeforeEach
    void start() {
        PyZmq.assumeAvailable();
        broker = TestBroker.start(data);
    }

    @AfterEach
    void stop() {
        Closeables.closeAll(script, subscriber, broker);
    }

    @Test
    void shouldCarryPlainFramesUnchangedToPlainAndCourierSubscribers() {
        List<String> courier = new CopyOnWriteArrayList<>();
        subscriber = Client.connect(broker.clientConfig());
        subscriber.subscribe("interop.", SubscribeOptions.ofNow(), event -> courier.add(plainFrames(event)))
                .awaitSubscribed(ofSeconds(5));

        script = PyZmq.run("pyzmq/pubsub_pair.py", broker.broker().publishEndpoint(),
                broker.broker().subscribeEndpoint(), "interop.");

        assertThat(script.awaitExit(ofSeconds(20))).as("script exit; output:%n%s", script.output()).isZero();
        assertThat(script.output().lines().toList()).as("what the plain SUB received").isEqualTo(SENT);
        await("the Courier subscriber got all four").atMost(ofSeconds(5)).until(() -> courier.size() == 4);
        assertThat(courier).as("frames rebuilt from the Courier events").isEqualTo(SENT);
    }

    /** The frames a plain SUB would see for this event: the topic frame then the body, or the single frame. */
    private static String plainFrames(StreamEvent event) {
        List<String> frames = new ArrayList<>();
        byte[] first = event.frames().get(0);
        boolean singleFrame = event.frames().size() == 1
                && new String(first, StandardCharsets.UTF_8).startsWith(event.topic() + " ");
        if (!singleFrame) {
            frames.add(hex(event.topic()));
        }
        for (byte[] frame : event.frames()) {
            frames.add(HexFormat.of().formatHex(frame));
        }
        return String.join(":", frames);
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] allBytes() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        return all;
    }
}
