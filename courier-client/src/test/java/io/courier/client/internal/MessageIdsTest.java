package io.courier.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageIdsTest {
    @Test
    void shouldMakeIdsUniqueWithinAClientAndAcrossClients() {
        MessageIds one = new MessageIds();
        MessageIds two = new MessageIds();
        Set<String> seen = new HashSet<>();

        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(one.next())).isTrue();
            assertThat(seen.add(two.next())).isTrue();
        }

        String id = one.next();
        assertThat(id).matches("[A-Za-z0-9_-]{22}\\.[0-9a-z]+");
        assertThat(id.substring(0, 23)).isNotEqualTo(two.next().substring(0, 23));
    }
}
