package io.courier.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TraceIdsTest {
    @Test
    void shouldTakeTheTraceIdOfAValidTraceparent() {
        assertThat(TraceIds.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void shouldMakeANewIdForAMissingOrMalformedTraceparent() {
        assertThat(TraceIds.of(null)).matches("[0-9a-f]{32}");
        assertThat(TraceIds.of("garbage")).matches("[0-9a-f]{32}");
        assertThat(TraceIds.of("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")).matches("[0-9a-f]{32}")
                .isNotEqualTo("4BF92F3577B34DA6A3CE929D0E0E4736");
        assertThat(TraceIds.of("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
                .isNotEqualTo("00000000000000000000000000000000");
    }

    @Test
    void shouldMakeTraceparentsThatParseBack() {
        String header = TraceIds.newTraceparent();

        assertThat(header).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(TraceIds.of(header)).isEqualTo(header.substring(3, 35));
    }
}
