package io.courier.client.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.StreamEvent;
import io.courier.client.StreamLoss;
import io.courier.client.SubscribeOptions;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.Headers;
import io.courier.protocol.SlowPolicy;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Event;
import io.courier.protocol.codec.NativeMessage.Loss;
import io.courier.protocol.codec.NativeMessage.Replay;
import io.courier.protocol.codec.NativeMessage.Subscribe;
import io.courier.protocol.StreamStart;
import io.courier.protocol.codec.NativeMessage.Subscribed;
import io.courier.protocol.codec.NativeMessage.Unsubscribe;
import io.courier.protocol.codec.NativeMessage.Unsubscribed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Drives the stream core directly: a manual clock, an outbox that records, a sink that records; no threads. */
class StreamClientCoreTest {
    private static final long REPLAY_TIMEOUT = 1_000;

    private final List<NativeMessage> sent = new ArrayList<>();
    private boolean connected = true;
    private long now = 1;
    private final Outbox outbox = m -> connected && sent.add(m);
    private final StreamClientCore core = new StreamClientCore(outbox, () -> now,
            new PendingTable("test", outbox, () -> now, new InFlightWindow(1_000)), REPLAY_TIMEOUT);
    private final RecordingSink sink = new RecordingSink();

    private void session(String brokerId) {
        core.onConnected();
        core.onWelcome(Headers.of(Map.of("broker-id", brokerId)));
    }

    private void subscribe(SubscribeOptions options) {
        core.onSubscribe(7, "t", options, sink);
    }

    private void event(String topic, long seq) {
        byte[][] body = {("m" + seq).getBytes(UTF_8)};
        core.onMessage(new Event(7, topic, seq, 1_000 + seq, Headers.EMPTY, body));
    }

    private void loss(String topic, long from, long to) {
        core.onMessage(new Loss(7, topic, from, to, "not retained"));
    }

    private <T extends NativeMessage> List<T> sentOf(Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    private List<String> replays() {
        return sentOf(Replay.class).stream().map(r -> r.topic() + ":" + r.fromSeq() + "-" + r.toSeq())
                .collect(Collectors.toList());
    }

    @Test
    void shouldSubscribeAfterWelcomeAndConfirmOnSubscribed() {
        core.onConnected();
        subscribe(SubscribeOptions.ofSeq(5).withPolicy(SlowPolicy.DISCONNECT));
        assertThat(sentOf(Subscribe.class)).as("nothing before WELCOME").isEmpty();

        core.onWelcome(Headers.of(Map.of("broker-id", "b1")));
        core.onMessage(new Subscribed(7, Map.of()));

        assertThat(sentOf(Subscribe.class)).containsExactly(new Subscribe(7, "t", StreamStart.SEQ, 5,
                SlowPolicy.DISCONNECT, Map.of()));
        assertThat(sink.subscribedCount).isEqualTo(1);
    }

    @Test
    void shouldSubscribeAtOnceOnAWelcomedSession() {
        session("b1");
        subscribe(SubscribeOptions.ofFirst());

        assertThat(sentOf(Subscribe.class)).extracting(Subscribe::start).containsExactly(StreamStart.FIRST);
    }

    @Test
    void shouldDeliverInOrderAndDropDuplicates() {
        session("b1");
        subscribe(SubscribeOptions.ofFirst());

        event("t", 1);
        event("t", 2);
        event("t", 2);
        event("t.b", 9);
        event("t", 1);
        event("t", 3);

        assertThat(sink.summary()).containsExactly("t#1", "t#2", "t.b#9", "t#3");
        assertThat(core.duplicates()).isEqualTo(2);
        assertThat(replays()).isEmpty();
        StreamEvent first = (StreamEvent) sink.released.get(0);
        assertThat(first.bodyAsString()).isEqualTo("m1");
        assertThat(first.timestampMillis()).isEqualTo(1_001);
    }

    @Test
    void shouldReplayAGapAndDeliverInOrderOnceFilled() {
        session("b1");
        subscribe(SubscribeOptions.ofFirst());

        event("t", 1);
        event("t", 2);
        event("t", 5);
        assertThat(replays()).containsExactly("t:3-4");
        assertThat(sink.summary()).containsExactly("t#1", "t#2");
        event("t", 6);
        event("t", 4);
        assertThat(sink.summary()).containsExactly("t#1", "t#2");

        event("t", 3);

        assertThat(sink.summary()).containsExactly("t#1", "t#2", "t#3", "t#4", "t#5", "t#6");
        assertThat(replays()).hasSize(1);
        now += 10 * REPLAY_TIMEOUT;
        core.onTimers(now);
        assertThat(replays()).as("no timer left once filled").hasSize(1);
    }

    @Test
    void shouldReleaseHeldEventsWhenTheGapIsDeclaredLost() {
        session("b1");
        subscribe(SubscribeOptions.ofFirst());
        event("t", 1);
        event("t", 4);

        loss("t", 2, 3);

        assertThat(sink.summary()).containsExactly("t#1", "t!2-3", "t#4");
        assertThat(sink.losses().get(0).reason()).isEqualTo("not retained");
    }

    @Test
    void shouldSplitALossAroundEventsAlreadyHeld() {
        session("b1");
        subscribe(SubscribeOptions.ofFirst());
        event("t", 1);
        event("t", 3);
        assertThat(replays()).containsExactly("t:2-2");

        loss("t", 2, 5);
        event("t", 4);
        event("t", 6);

        assertThat(sink.summary()).containsExactly("t#1", "t!2-2", "t#3", "t!4-5", "t#6");
        assertThat(replays()).as("6 follows the loss: no new gap").hasSize(1);
    }

    @Test
    void shouldTakeALossAsTheFirstMessageOfAStream() {
        session("b1");
        subscribe(SubscribeOptions.ofFirst());

        loss("t", 1, 4);
        event("t", 5);

        assertThat(sink.summary()).containsExactly("t!1-4", "t#5");
    }

    @Test
    void shouldReportTheGapLostWhenTheHoldBackBufferOverflows() {
        session("b1");
        subscribe(SubscribeOptions.ofFirst().withMaxBufferedEvents(3));
        event("t", 1);
        for (long seq = 3; seq <= 5; seq++) {
            event("t", seq);
        }
        assertThat(sink.summary()).containsExactly("t#1");

        event("t", 6);

        assertThat(sink.summary()).containsExactly("t#1", "t!2-2", "t#3", "t#4", "t#5", "t#6");
        assertThat(sink.losses().get(0).reason()).isEqualTo(TopicSequence.BUFFER_FULL);
        event("t", 2);
        assertThat(sink.released).hasSize(6);
        assertThat(core.duplicates()).isEqualTo(1);
    }

    @Test
    void shouldAskAgainThenReportTheGapLostWhenReplayIsNotAnswered() {
        session("b1");
        subscribe(SubscribeOptions.ofFirst());
        event("t", 1);
        event("t", 3);

        assertThat(core.onTimers(now)).isEqualTo(now + REPLAY_TIMEOUT);
        now += REPLAY_TIMEOUT;
        core.onTimers(now);
        assertThat(replays()).containsExactly("t:2-2", "t:2-2");
        now += REPLAY_TIMEOUT;
        core.onTimers(now);
        assertThat(replays()).hasSize(3);
        assertThat(sink.summary()).containsExactly("t#1");
        now += REPLAY_TIMEOUT;
        core.onTimers(now);

        assertThat(sink.summary()).containsExactly("t#1", "t!2-2", "t#3");
        assertThat(sink.losses().get(0).reason()).isEqualTo(TopicSequence.REPLAY_UNANSWERED);
        assertThat(core.onTimers(now)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldStartAfterTheHeadsWhenSubscribingNow() {
        session("b1");
        subscribe(SubscribeOptions.ofNow());
        core.onMessage(new Subscribed(7, Map.of("t", 10L, "t.b", 0L)));

        event("t", 12);
        event("t.b", 1);

        assertThat(replays()).containsExactly("t:11-11");
        assertThat(sink.summary()).containsExactly("t.b#1");
    }

    @Test
    void shouldDeliverWhatANewBrokerHoldsWhenSubscribedNowBeforeItRestarted() {
        session("b1");
        subscribe(SubscribeOptions.ofNow());
        core.onMessage(new Subscribed(7, Map.of()));
        event("t", 1);

        core.onDisconnected();
        core.onConnected();
        core.onWelcome(Headers.of(Map.of("broker-id", "b2")));
        assertThat(sentOf(Subscribe.class).get(1).start()).isEqualTo(StreamStart.FIRST);
        core.onMessage(new Subscribed(7, Map.of("t", 1L)));   // published on the new broker before the SUBSCRIBE
        event("t", 1);

        assertThat(sink.summary()).containsExactly("t#1", "t!2-max", "t#1");   // the restart reported, then seq 1
        assertThat(replays()).isEmpty();
    }

    @Test
    void shouldResubscribeWithAResumeMapOnEveryNewSession() {
        session("b1");
        subscribe(SubscribeOptions.ofNow());
        event("t", 1);
        event("t", 2);
        event("t.b", 40);
        event("t.c", 8);
        event("t.c", 10);

        core.onDisconnected();
        core.onConnected();
        core.onWelcome(Headers.of(Map.of("broker-id", "b1")));

        List<Subscribe> subscribes = sentOf(Subscribe.class);
        assertThat(subscribes).hasSize(2);
        assertThat(subscribes.get(1).start()).isEqualTo(StreamStart.NOW);
        assertThat(subscribes.get(1).resume()).containsOnly(Map.entry("t", 3L), Map.entry("t.b", 41L),
                Map.entry("t.c", 9L));
        event("t.c", 9);
        event("t.c", 10);
        event("t", 3);
        assertThat(sink.summary()).endsWith("t.c#9", "t.c#10", "t#3");
        assertThat(sink.losses()).isEmpty();
    }

    @Test
    void shouldReportEveryKnownStreamLostWhenTheBrokerRestarted() {
        session("b1");
        subscribe(SubscribeOptions.ofFirst());
        event("t", 1);
        event("t", 2);
        event("t.b", 5);

        core.onDisconnected();
        core.onConnected();
        core.onWelcome(Headers.of(Map.of("broker-id", "b2")));

        List<StreamLoss> losses = sink.losses();
        assertThat(losses).extracting(StreamLoss::topic).containsExactlyInAnyOrder("t", "t.b");
        assertThat(losses).allSatisfy(l -> {
            assertThat(l.toSeq()).isEqualTo(Long.MAX_VALUE);
            assertThat(l.reason()).isEqualTo("broker restarted; sequence numbers restart");
        });
        assertThat(losses).extracting(StreamLoss::fromSeq).containsExactlyInAnyOrder(3L, 6L);
        Subscribe again = sentOf(Subscribe.class).get(1);
        assertThat(again.resume()).isEmpty();
        assertThat(again.start()).isEqualTo(StreamStart.FIRST);
        event("t", 1);
        assertThat(sink.summary()).last().isEqualTo("t#1");
    }

    @Test
    void shouldPauseWhileTheListenerIsBehindThenReplayWhatItSkipped() {
        session("b1");
        subscribe(SubscribeOptions.ofFirst());
        event("t", 1);
        sink.room = false;
        event("t", 2);
        event("t", 3);
        event("t", 4);
        assertThat(sink.summary()).containsExactly("t#1");
        assertThat(core.onTimers(now)).isEqualTo(now + StreamClientCore.RECHECK_MILLIS);

        sink.room = true;
        core.onTimers(now);

        assertThat(sink.summary()).containsExactly("t#1", "t#2");
        assertThat(replays()).containsExactly("t:3-4");
        event("t", 3);
        event("t", 4);
        event("t", 5);
        assertThat(sink.summary()).containsExactly("t#1", "t#2", "t#3", "t#4", "t#5");
        assertThat(sink.losses()).isEmpty();
    }

    @Test
    void shouldUnsubscribeOnTheNextPassAndIgnoreLaterMessages() {
        session("b1");
        subscribe(SubscribeOptions.ofFirst());
        event("t", 1);

        core.unsubscribeLater(7);
        core.onTimers(now);
        event("t", 2);

        assertThat(sentOf(Unsubscribe.class)).containsExactly(new Unsubscribe(7));
        assertThat(sink.summary()).containsExactly("t#1");
        assertThat(core.subscriptionCount()).isZero();
    }

    @Test
    void shouldNotSubscribeWhatTheApplicationClosedBeforeTheLoopGotToIt() {
        session("b1");
        sink.closed = true;

        subscribe(SubscribeOptions.ofNow());

        assertThat(sentOf(Subscribe.class)).isEmpty();
        assertThat(core.subscriptionCount()).isZero();
    }

    @Test
    void shouldEndTheSubscriptionWhenTheBrokerSaysUnsubscribed() {
        session("b1");
        subscribe(SubscribeOptions.ofNow().withPolicy(SlowPolicy.DISCONNECT));

        core.onMessage(new Unsubscribed(7, "too slow"));
        event("t", 1);

        assertThat(sink.endedReason).isEqualTo("too slow");
        assertThat(sink.endedError.reason()).isEqualTo(Reason.REFUSED);
        assertThat(sink.released).isEmpty();
        assertThat(core.subscriptionCount()).isZero();
    }

    @Test
    void shouldEndSubscriptionsWithClosedOnClose() {
        session("b1");
        subscribe(SubscribeOptions.ofNow());

        core.onClose();
        RecordingSink late = new RecordingSink();
        core.onSubscribe(8, "u", SubscribeOptions.ofNow(), late);

        assertThat(sink.endedReason).isEqualTo("client closed");
        assertThat(sink.endedError.reason()).isEqualTo(Reason.CLOSED);
        assertThat(late.endedError.reason()).isEqualTo(Reason.CLOSED);
    }

    @Test
    void shouldWaitForTheNextSessionInsteadOfReplayingWithoutOne() {
        session("b1");
        subscribe(SubscribeOptions.ofFirst());
        event("t", 1);
        event("t", 3);
        core.onDisconnected();
        connected = false;

        now += 10 * REPLAY_TIMEOUT;
        core.onTimers(now);
        assertThat(sink.losses()).as("no loss declared while disconnected").isEmpty();
        connected = true;
        core.onConnected();
        core.onWelcome(Headers.of(Map.of("broker-id", "b1")));
        assertThat(sentOf(Subscribe.class).get(1).resume()).containsExactly(Map.entry("t", 2L));

        event("t", 2);
        event("t", 3);
        assertThat(sink.summary()).containsExactly("t#1", "t#2", "t#3");
    }

    @Test
    void shouldForgetTheOldNumberingsReplayTimersAfterARestart() {
        session("b1");
        subscribe(SubscribeOptions.ofFirst());
        event("t", 1);
        event("t", 3);
        assertThat(replays()).containsExactly("t:2-2");

        core.onDisconnected();
        session("b2");
        now += 10 * REPLAY_TIMEOUT;
        core.onTimers(now);

        assertThat(replays()).hasSize(1);
        assertThat(sink.summary()).containsExactly("t#1", "t!2-max");
    }

    @Test
    void shouldTimeAGapAfreshWhenANewSessionResumesIt() {
        session("b1");
        subscribe(SubscribeOptions.ofFirst());
        event("t", 1);
        event("t", 3);
        now += REPLAY_TIMEOUT / 2;
        core.onDisconnected();
        session("b1");

        now += REPLAY_TIMEOUT / 2;
        core.onTimers(now);
        assertThat(replays()).as("the first timer is stale").hasSize(1);
        now += REPLAY_TIMEOUT / 2;
        core.onTimers(now);

        assertThat(replays()).containsExactly("t:2-2", "t:2-2");
    }
}
