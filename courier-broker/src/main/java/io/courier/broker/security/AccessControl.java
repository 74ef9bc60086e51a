package io.courier.broker.security;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@link AccessRules} on the broker loop: answers whether a key may do an operation on a name and,
 * when not, counts the refusal (by operation) and logs it at WARN once per key, operation and name (later ones at
 * DEBUG). Confined to the broker loop thread ({@code courier-broker}).
 */
public final class AccessControl {
    private static final Logger LOG = LoggerFactory.getLogger(AccessControl.class);
    /** Distinct refusals remembered for the once-only WARN; past this, the memory is cleared. */
    private static final int MAX_LOGGED = 10_000;

    private final Consumer<String> denied;
    private final Set<String> logged = new HashSet<>();
    private AccessRules rules;

    /**
     * @param rules  the rules in force
     * @param denied told the operation ({@code call}, ...) of every refusal: the metric
     */
    public AccessControl(AccessRules rules, Consumer<String> denied) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.denied = Objects.requireNonNull(denied, "denied");
    }

    /** True when rules exist (what they do not grant is denied); false: everything is allowed. */
    public boolean active() {
        return rules.active();
    }

    /** New rules, live: every later operation is checked against them. */
    public void onRules(AccessRules next) {
        if (!next.equals(rules)) {
            LOG.info("access rules applied rules={} keys={}", next.rules().size(),
                    next.rules().stream().map(AccessRule::key).toList());
            logged.clear();
        }
        rules = next;
    }

    /**
     * Null when {@code key} may do {@code op} on {@code name}; else the refusal, counted and logged, as the client
     * is told it: {@code call service 'billing' denied for key 'alice'}.
     *
     * @param key the peer's key: its certificate name, or {@code anonymous} without CURVE
     */
    public String refusal(String key, AccessOperation op, String name) {
        if (rules.allows(key, op, name)) {
            return null;
        }
        denied.accept(op.key());
        String text = op.key() + " " + op.subject() + " '" + name + "' denied for key '" + key + "'";
        if (logged.size() >= MAX_LOGGED) {
            logged.clear();
        }
        if (logged.add(key + "\u0000" + op.key() + "\u0000" + name)) {
            LOG.warn("access denied key={} operation={} {}={}", key, op.key(), op.subject(), name);
        } else {
            LOG.debug("access denied again key={} operation={} {}={}", key, op.key(), op.subject(), name);
        }
        return text;
    }

    /** The key of a peer from its ZAP User-Id: the certificate name, or {@code anonymous} when there is none. */
    public static String keyOf(String userId) {
        return userId == null || userId.isEmpty() ? AccessRule.ANONYMOUS : userId;
    }
}
