package io.courier.broker.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.protocol.Headers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ReadyQueueTest {
    private final QueueEntry queue = new QueueEntry("jobs", QueueSettings.defaults());
    private final ReadyQueue ready = new ReadyQueue();

    @Test
    void shouldPollNewAndReturnedMessagesInSeqOrder() {
        List<MessageEntry> m = messages(6);
        ready.addNew(m.get(2));
        ready.addNew(m.get(4));
        ready.addReturned(m.get(3));
        ready.addReturned(m.get(1));
        ready.addNew(m.get(5));

        assertThat(ready.first(3)).extracting(e -> e.seq).containsExactly(2L, 3L, 4L);
        assertThat(pollAll()).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(ready.isEmpty()).isTrue();
        assertThat(ready.poll()).isNull();
    }

    @Test
    void shouldSkipMessagesTakenOutOfTheMiddleAndCompactThem() {
        List<MessageEntry> m = messages(5_000);
        m.forEach(ready::addNew);
        for (int i = 0; i < 4_000; i++) {
            if (i % 4 != 0) {
                ready.remove(m.get(i));
            }
        }
        ready.remove(m.get(4_999));

        assertThat(ready.size()).isEqualTo(5_000 - 3_000 - 1);
        List<Long> polled = pollAll();
        assertThat(polled).hasSize(1_999).startsWith(1L, 5L, 9L).endsWith(4_998L, 4_999L);
        assertThat(polled).isSorted();
    }

    @Test
    void shouldDrainEverythingInSeqOrder() {
        List<MessageEntry> m = messages(4);
        ready.addNew(m.get(0));
        ready.addNew(m.get(2));
        ready.addReturned(m.get(1));
        ready.remove(m.get(2));

        assertThat(ready.drain()).extracting(e -> e.seq).containsExactly(1L, 2L);
        assertThat(ready.size()).isZero();
        assertThat(ready.poll()).isNull();
    }

    @Test
    void shouldRefuseToRemoveAMessageThatIsNotReady() {
        MessageEntry m = messages(1).get(0);

        assertThatThrownBy(() -> ready.remove(m)).isInstanceOf(IllegalStateException.class)
                .hasMessage("message is not ready [queue=jobs, seq=1]");
    }

    private List<Long> pollAll() {
        List<Long> seqs = new ArrayList<>();
        for (MessageEntry e; (e = ready.poll()) != null; ) {
            seqs.add(e.seq);
        }
        return seqs;
    }

    private List<MessageEntry> messages(int count) {
        List<MessageEntry> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(new MessageEntry(queue, i, i, null, Headers.EMPTY, QueueFixture.body("m" + i), 0, 0, 0, 0));
        }
        return out;
    }
}
