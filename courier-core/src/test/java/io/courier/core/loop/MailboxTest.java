package io.courier.core.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MailboxTest {

    @Test
    void shouldRefuseWhenFullAndAcceptAgainAfterDrain() {
        try (Mailbox<Integer> mailbox = new Mailbox<>(2)) {
            assertThat(mailbox.offer(1)).isTrue();
            assertThat(mailbox.offer(2)).isTrue();
            assertThat(mailbox.offer(3)).isFalse();
            List<Integer> seen = new ArrayList<>();
            assertThat(mailbox.drain(seen::add, 10)).isEqualTo(2);
            assertThat(seen).containsExactly(1, 2);
            assertThat(mailbox.offer(4)).isTrue();
        }
    }

    @Test
    void shouldDrainAtMostTheLimitAndLeaveTheRest() {
        try (Mailbox<Integer> mailbox = new Mailbox<>(10)) {
            for (int i = 0; i < 5; i++) {
                mailbox.offer(i);
            }
            List<Integer> seen = new ArrayList<>();
            assertThat(mailbox.drain(seen::add, 3)).isEqualTo(3);
            assertThat(mailbox.drain(seen::add, 3)).isEqualTo(2);
            assertThat(seen).containsExactly(0, 1, 2, 3, 4);
        }
    }
}
