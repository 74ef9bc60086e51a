package io.courier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.core.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class IpFilterTest {
    @Test
    void shouldLetEveryoneInWithoutEntries() {
        assertThat(IpFilter.any().refusal("10.1.2.3")).isNull();
        assertThat(IpFilter.of(List.of(), List.of()).refusal("::1")).isNull();
    }

    @Test
    void shouldMatchAddressesAndCidrBlocksDenyFirst() {
        IpFilter filter = IpFilter.of(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"), List.of("10.9.0.0/16"));

        assertThat(filter.refusal("10.1.2.3")).isNull();
        assertThat(filter.refusal("192.168.1.7")).isNull();
        assertThat(filter.refusal("fd12::1")).isNull();
        assertThat(filter.refusal("::ffff:10.1.2.3")).as("IPv4-mapped").isNull();
        assertThat(filter.refusal("10.9.1.1")).isEqualTo("ip_denied");
        assertThat(filter.refusal("192.168.1.8")).isEqualTo("ip_not_allowed");
        assertThat(filter.refusal("2001:db8::1")).isEqualTo("ip_not_allowed");
    }

    @Test
    void shouldHandleOddPrefixLengths() {
        IpFilter filter = IpFilter.of(List.of("172.16.0.0/12"), List.of());

        assertThat(filter.refusal("172.31.255.255")).isNull();
        assertThat(filter.refusal("172.32.0.0")).isEqualTo("ip_not_allowed");
    }

    @Test
    void shouldNameTheKeyOfABadEntry() {
        assertThatThrownBy(() -> IpFilter.of(List.of("example.com"), List.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("security.ipAllow: not an IP address or CIDR block: 'example.com'");
        assertThatThrownBy(() -> IpFilter.of(List.of(), List.of("10.0.0.0/33")))
                .hasMessageStartingWith("security.ipDeny: bad prefix length");
        assertThatThrownBy(() -> IpFilter.of(List.of("10.0.0.300"), List.of()))
                .hasMessageStartingWith("security.ipAllow: not an IP address");
    }
}
