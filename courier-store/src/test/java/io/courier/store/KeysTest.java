package io.courier.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class KeysTest {
    @Test
    void shouldOrderKeysByQueueThenSequenceAsRocksDbCompares() {
        List<byte[]> keys = new ArrayList<>();
        for (String queue : List.of("ab", "a", "b")) {
            for (long seq : new long[] {Long.MAX_VALUE, 256, 255, 1, 0}) {
                keys.add(Keys.message(queue, seq));
            }
        }

        keys.sort(Arrays::compareUnsigned);

        List<String> order = new ArrayList<>();
        for (byte[] key : keys) {
            order.add(Keys.queueOf(key) + "#" + Keys.sequenceOf(key));
        }
        assertThat(order).containsExactly("a#0", "a#1", "a#255", "a#256", "a#" + Long.MAX_VALUE,
            "b#0", "b#1", "b#255", "b#256", "b#" + Long.MAX_VALUE,
            "ab#0", "ab#1", "ab#255", "ab#256", "ab#" + Long.MAX_VALUE);
    }

    @Test
    void shouldRoundTripStateAndRejectMalformedValues() {
        byte[] value = Keys.state(7, MessageState.DELIVERED);

        assertThat(Keys.deliveryCountOf(value)).isEqualTo(7);
        assertThat(Keys.stateOf(value)).isEqualTo(MessageState.DELIVERED);
        assertThatThrownBy(() -> Keys.stateOf(new byte[3])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keys.stateOf(new byte[] {0, 0, 0, 0, 9})).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unknown message state code 9");
        assertThatThrownBy(() -> Keys.queueOf(new byte[] {0, 5, 1})).isInstanceOf(IllegalArgumentException.class);
    }
}
