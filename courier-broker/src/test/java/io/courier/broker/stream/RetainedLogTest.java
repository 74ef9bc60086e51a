package io.courier.broker.stream;

import static io.courier.broker.stream.StreamFixture.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.protocol.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ring buffer of one stream: seqs, lookup, eviction by count, bytes and age, search by time, sizing. */
@Timeout(10)
class RetainedLogTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long NO_BYTE_LIMIT = Long.MAX_VALUE;

    private final RetainedLog log = new RetainedLog("prices");

    @Test
    void shouldNumberMessagesFromOneAndFindEachBySeq() {
        assertThat(log.headSeq()).isZero();
        assertThat(log.firstSeq()).isEqualTo(1);
        assertThat(log.last()).isNull();

        for (int i = 1; i <= 100; i++) {
            StreamMessage m = append(T0 + i, "m" + i, 1_000);
            assertThat(m.seq()).isEqualTo(i);
            assertThat(m.topic()).isEqualTo("prices");
        }

        assertThat(log.count()).isEqualTo(100);
        assertThat(log.headSeq()).isEqualTo(100);
        for (int i = 1; i <= 100; i++) {
            assertThat(text(log.get(i))).isEqualTo("m" + i);
        }
        assertThat(text(log.last())).isEqualTo("m100");
    }

    @Test
    void shouldEvictOldestPastTheCountLimit() {
        for (int i = 1; i <= 25; i++) {
            append(T0, "m" + i, 10);
        }

        assertThat(log.count()).isEqualTo(10);
        assertThat(log.firstSeq()).isEqualTo(16);
        assertThat(log.headSeq()).isEqualTo(25);
        assertThat(log.contains(15)).isFalse();
        assertThat(text(log.get(16))).isEqualTo("m16");
        assertThat(log.capacity()).isEqualTo(16);
    }

    @Test
    void shouldEvictOldestPastTheByteLimitCountingBodiesAndHeaders() {
        Headers headers = Headers.of(Map.of("k", "vé"));   // 1 + 3 bytes of UTF-8, plus 3 of lengths
        assertThat(RetainedLog.sizeOf(headers, new byte[][] {new byte[10], new byte[5]}))
                .isEqualTo(15 + headers.encode().length)
                .isEqualTo(22);

        for (int i = 1; i <= 10; i++) {
            log.append(T0, headers, new byte[][] {new byte[10], new byte[5]}, 1_000, 100);
        }

        assertThat(log.count()).isEqualTo(4);   // 4 x 22 = 88 <= 100 < 110
        assertThat(log.bytes()).isEqualTo(88);
        assertThat(log.firstSeq()).isEqualTo(7);
    }

    @Test
    void shouldRetainNothingOfAMessageBiggerThanTheByteLimit() {
        log.append(T0, Headers.EMPTY, new byte[][] {new byte[50]}, 1_000, 100);

        StreamMessage big = log.append(T0, Headers.EMPTY, new byte[][] {new byte[101]}, 1_000, 100);

        assertThat(big.seq()).isEqualTo(2);
        assertThat(log.count()).isZero();
        assertThat(log.bytes()).isZero();
        assertThat(log.firstSeq()).isEqualTo(3);
        assertThat(log.headSeq()).isEqualTo(2);
    }

    @Test
    void shouldEvictMessagesOlderThanTheCutoff() {
        for (int i = 0; i < 10; i++) {
            append(T0 + i * 100, "m" + (i + 1), 1_000);
        }

        assertThat(log.evictOlderThan(T0 + 450)).isEqualTo(5);
        assertThat(log.firstSeq()).isEqualTo(6);
        assertThat(log.evictOlderThan(T0 + 450)).isZero();
        assertThat(log.evictOlderThan(T0 + 10_000)).isEqualTo(5);
        assertThat(log.count()).isZero();
        assertThat(log.bytes()).isZero();

        assertThat(append(T0 + 20_000, "m11", 1_000).seq()).isEqualTo(11);   // seqs go on after an empty log
    }

    @Test
    void shouldFindTheFirstSeqStampedAtOrAfterATime() {
        long[] stamps = {100, 100, 200, 300, 300, 300, 400};
        for (long stamp : stamps) {
            append(T0 + stamp, "m", 1_000);
        }

        assertThat(log.fromTime(T0)).isEqualTo(1);
        assertThat(log.fromTime(T0 + 100)).isEqualTo(1);
        assertThat(log.fromTime(T0 + 101)).isEqualTo(3);
        assertThat(log.fromTime(T0 + 300)).isEqualTo(4);
        assertThat(log.fromTime(T0 + 400)).isEqualTo(7);
        assertThat(log.fromTime(T0 + 401)).isEqualTo(8);

        log.evictOlderThan(T0 + 250);
        assertThat(log.fromTime(T0)).isEqualTo(4);
    }

    @Test
    void shouldKeepTimestampsFromGoingBackwardsWhenTheClockSteps() {
        append(T0 + 500, "a", 1_000);

        StreamMessage stepped = append(T0 + 100, "b", 1_000);

        assertThat(stepped.timestampMillis()).isEqualTo(T0 + 500);
        assertThat(log.fromTime(T0 + 500)).isEqualTo(1);
    }

    @Test
    void shouldGrowByDoublingAndShrinkWhenMostlyEmpty() {
        for (int i = 1; i <= 1_000; i++) {
            append(T0 + i, "m" + i, 1_000);
        }
        assertThat(log.capacity()).isEqualTo(1_024);

        log.evictOlderThan(T0 + 991);   // keeps 10

        assertThat(log.count()).isEqualTo(10);
        assertThat(log.capacity()).isEqualTo(32);
        for (int i = 991; i <= 1_000; i++) {
            assertThat(text(log.get(i))).isEqualTo("m" + i);
        }
        append(T0 + 2_000, "m1001", 1_000);
        assertThat(text(log.get(1_001))).isEqualTo("m1001");
    }

    @Test
    void shouldNeverGrowPastTheCountLimit() {
        for (int i = 1; i <= 5_000; i++) {
            append(T0, "m" + i, 100);
        }

        assertThat(log.capacity()).isEqualTo(128);
        assertThat(log.count()).isEqualTo(100);
        assertThat(text(log.get(4_901))).isEqualTo("m4901");
    }

    private StreamMessage append(long now, String text, int maxMessages) {
        return log.append(now, Headers.EMPTY, body(text), maxMessages, NO_BYTE_LIMIT);
    }

    private static String text(StreamMessage m) {
        return new String(m.body()[0], StandardCharsets.UTF_8);
    }
}
