package io.courier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.core.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Keys by operations on the rules alone, refusals as clients read them, the metric, live rule changes. */
@Timeout(10)
class AccessControlTest {
    private static final AccessRules RULES = AccessRules.of(List.of(
            new AccessRule("alice", Map.of(AccessOperation.CALL, List.of("billing.*"),
                    AccessOperation.PUBLISH, List.of("prices"), AccessOperation.PRODUCE, List.of("orders"))),
            new AccessRule("bob", Map.of(AccessOperation.SERVE, List.of("billing.*"),
                    AccessOperation.SUBSCRIBE, List.of("prices.*"), AccessOperation.CONSUME, List.of("orders"),
                    AccessOperation.ADMIN, List.of("*")))));

    private final List<String> denied = new ArrayList<>();
    private final AccessControl control = new AccessControl(RULES, denied::add);

    @Test
    void shouldAllowExactlyWhatTheMatrixGrants() {
        String[][] matrix = {
            // key, operation, name, allowed
            {"alice", "call", "billing.pay", "y"}, {"bob", "call", "billing.pay", "n"},
            {"carol", "call", "billing.pay", "n"}, {"alice", "call", "billing", "n"},
            {"bob", "serve", "billing.pay", "y"}, {"alice", "serve", "billing.pay", "n"},
            {"alice", "publish", "prices.eur", "y"}, {"alice", "publish", "pricesX", "y"},
            {"bob", "publish", "prices.eur", "n"}, {"carol", "publish", "prices.eur", "n"},
            {"bob", "subscribe", "prices.eur", "y"}, {"bob", "subscribe", "prices.", "y"},
            {"bob", "subscribe", "prices", "n"}, {"bob", "subscribe", "", "n"},
            {"alice", "subscribe", "prices.", "n"},
            {"alice", "produce", "orders", "y"}, {"alice", "produce", "orders.dlq", "n"},
            {"bob", "produce", "orders", "n"}, {"bob", "consume", "orders", "y"},
            {"alice", "consume", "orders", "n"}, {"bob", "admin", "status", "y"}, {"alice", "admin", "status", "n"},
        };
        for (String[] row : matrix) {
            String refusal = control.refusal(row[0], AccessOperation.of(row[1]), row[2]);
            assertThat(refusal).as("%s %s %s", row[0], row[1], row[2]).matches(r -> (r == null) == "y".equals(row[3]));
        }
        assertThat(denied).hasSize((int) java.util.Arrays.stream(matrix).filter(r -> r[3].equals("n")).count());
    }

    @Test
    void shouldNameTheOperationTheNameAndTheKey() {
        assertThat(control.refusal("carol", AccessOperation.CALL, "billing"))
                .isEqualTo("call service 'billing' denied for key 'carol'");
        assertThat(control.refusal("alice", AccessOperation.CONSUME, "orders"))
                .isEqualTo("consume queue 'orders' denied for key 'alice'");
        assertThat(denied).containsExactly("call", "consume");
    }

    @Test
    void shouldApplyNewRulesLive() {
        assertThat(control.refusal("carol", AccessOperation.CALL, "echo")).isNotNull();

        control.onRules(AccessRules.of(List.of(new AccessRule("carol", Map.of(AccessOperation.CALL,
                List.of("echo"))))));
        assertThat(control.refusal("carol", AccessOperation.CALL, "echo")).isNull();
        assertThat(control.refusal("alice", AccessOperation.CALL, "billing.pay")).isNotNull();

        control.onRules(AccessRules.none());
        assertThat(control.active()).isFalse();
        assertThat(control.refusal("anyone", AccessOperation.ADMIN, "status")).isNull();
    }

    @Test
    void shouldKnowPeersWithoutCurveAsAnonymous() {
        assertThat(AccessControl.keyOf(null)).isEqualTo("anonymous");
        assertThat(AccessControl.keyOf("")).isEqualTo("anonymous");
        assertThat(AccessControl.keyOf("alice")).isEqualTo("alice");
    }

    @Test
    void shouldRejectABadPatternNamingTheKey() {
        assertThatThrownBy(() -> new AccessRule("alice", Map.of(AccessOperation.SERVE, List.of("a*b"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("security.rules.alice.serve");
        assertThatThrownBy(() -> new AccessRule(" ", Map.of())).isInstanceOf(ConfigException.class);
    }
}
