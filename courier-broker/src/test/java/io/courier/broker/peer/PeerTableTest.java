package io.courier.broker.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.protocol.mdp.MdpMessage.Version;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerTableTest {
    private static final long HEARTBEAT = 1_000;
    private static final int LIVENESS = 3;

    private final List<Integer> counts = new ArrayList<>();
    private int refused;
    private final PeerTable table = new PeerTable(2, HEARTBEAT, LIVENESS, new PeerTable.Listener() {
        @Override
        public void onCount(int count) {
            counts.add(count);
        }

        @Override
        public void onRefused() {
            refused++;
        }
    });
    private final List<String> expired = new ArrayList<>();
    private final List<String> beaten = new ArrayList<>();
    private final PeerTable.HeartbeatRound round = new PeerTable.HeartbeatRound() {
        @Override
        public void expired(Peer peer, long silentMillis) {
            expired.add(name(peer) + "@" + silentMillis);
        }

        @Override
        public void beat(Peer peer) {
            beaten.add(name(peer));
        }
    };

    @Test
    void shouldTrackAPeerOnceAndCountEachChange() {
        Peer a = table.track(id("a"), 10);
        Peer again = table.track(id("a"), 20);
        table.track(id("b"), 30);

        assertThat(again).isSameAs(a);
        assertThat(a.lastHeardMillis()).as("tracking is not hearing").isEqualTo(10);
        assertThat(a.majordomo()).isNull();
        assertThat(table.size()).isEqualTo(2);
        assertThat(counts).containsExactly(1, 2);

        assertThat(table.remove(id("a"))).isSameAs(a);
        assertThat(table.remove(id("a"))).isNull();
        assertThat(counts).as("a removal that removed nothing is not counted").containsExactly(1, 2, 1);
    }

    @Test
    void shouldHearOnlyTrackedPeers() {
        Peer a = table.track(id("a"), 10);

        assertThat(table.heard(id("a"), 50)).isSameAs(a);
        assertThat(a.lastHeardMillis()).isEqualTo(50);
        assertThat(table.heard(id("stranger"), 50)).isNull();
        assertThat(table.get(id("stranger"))).as("hearing does not track").isNull();
    }

    @Test
    void shouldBeFullAtMaxConnectionsAndCountEachRefusal() {
        table.track(id("a"), 0);
        assertThat(table.isFull()).isFalse();
        table.track(id("b"), 0);

        assertThat(table.isFull()).isTrue();
        table.refuse(id("c"));
        table.refuse(id("c"));

        assertThat(refused).isEqualTo(2);
        assertThat(table.get(id("c"))).as("a refused peer is not tracked").isNull();
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void shouldKeepThePeersTrackedWhenTheLimitIsLowered() {
        table.track(id("a"), 0);
        table.track(id("b"), 0);

        table.onSettings(1, HEARTBEAT, LIVENESS);

        assertThat(table.maxConnections()).isEqualTo(1);
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.isFull()).isTrue();
        table.remove(id("a"));
        assertThat(table.isFull()).as("still at the lower limit").isTrue();
        table.remove(id("b"));
        assertThat(table.isFull()).isFalse();
    }

    @Test
    void shouldExpireOnlyPeersSilentPastTheLivenessWindowAndBeatTheRest() {
        table.track(id("silent"), 0);
        table.track(id("edge"), 1_000);
        table.add(new Peer(id("mdp"), Version.V01, 0));
        table.onSettings(3, HEARTBEAT, LIVENESS);
        counts.clear();

        long next = table.onTimers(4_000, round);

        assertThat(expired).containsExactlyInAnyOrder("silent@4000", "mdp@4000");
        assertThat(beaten).as("silent for exactly the window: still alive").containsExactly("edge");
        assertThat(table.size()).isEqualTo(1);
        assertThat(counts).as("counted once, after the round").containsExactly(1);
        assertThat(next).isEqualTo(4_000 + HEARTBEAT);
    }

    @Test
    void shouldRunARoundOncePerIntervalAndAtOnceAfterNewSettings() {
        table.track(id("a"), 0);

        assertThat(table.onTimers(0, round)).isEqualTo(HEARTBEAT);
        assertThat(table.onTimers(999, round)).as("not due: nothing done").isEqualTo(HEARTBEAT);
        assertThat(beaten).containsExactly("a");

        table.onSettings(2, 500, LIVENESS);
        assertThat(table.onTimers(999, round)).isEqualTo(999 + 500);
        assertThat(beaten).containsExactly("a", "a");

        table.heard(id("a"), 1_400);
        table.onTimers(2_900, round);
        assertThat(expired).as("1,500 ms silent is the whole window, not past it").isEmpty();
        table.onTimers(3_401, round);
        assertThat(expired).containsExactly("a@2001");
    }

    @Test
    void shouldCountOnlyNativePeersThatAreNotWorkersAsClients() {
        table.track(id("client"), 0);
        table.track(id("worker"), 0).markWorker();
        Peer mdp = new Peer(id("mdp"), Version.V02, 0);
        mdp.markWorker();
        table.onSettings(3, HEARTBEAT, LIVENESS);
        table.add(mdp);

        assertThat(table.clients()).isEqualTo(1);
        assertThat(table.all()).hasSize(3);
        assertThat(table.get(id("worker")).role()).isEqualTo("worker");
        assertThat(table.get(id("client")).role()).isEqualTo("client");
    }

    @Test
    void shouldForgetEveryPeerOnClearWithoutCounting() {
        table.track(id("a"), 0);
        counts.clear();

        table.clear();

        assertThat(table.size()).isZero();
        assertThat(counts).isEmpty();
    }

    private static PeerId id(String name) {
        return new PeerId(name.getBytes(StandardCharsets.UTF_8));
    }

    private static String name(Peer peer) {
        return new String(peer.id().bytes(), StandardCharsets.UTF_8);
    }
}
