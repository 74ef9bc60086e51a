package io.courier.broker.security;

import io.courier.core.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Security settings: CURVE (RFC 26) on every broker endpoint, with ZAP (RFC 27) checking each client's public key
 * against the certificates in the {@code allowlist} directory and each peer's address against {@code ipAllow} and
 * {@code ipDeny}. The files are checked when the broker starts with CURVE on, not here.
 *
 * @param curve         whether the endpoints are CURVE servers, and the broker's secret certificate
 * @param allowlist     directory of the public certificates ({@code *.key}) of the clients allowed in
 * @param ipAllow       addresses or CIDR blocks allowed to connect; empty: any
 * @param ipDeny        addresses or CIDR blocks refused, even when {@code ipAllow} matches
 * @param rules         access control per client key; none: every key may do everything
 */
public record SecurityConfig(Curve curve, Path allowlist, List<String> ipAllow, List<String> ipDeny,
                             AccessRules rules) {
    /**
     * CURVE on the endpoints.
     *
     * @param enabled       whether the endpoints are CURVE servers; off: plain ZMTP, anyone may connect
     * @param secretKeyFile the broker's secret certificate ({@code NAME.key_secret})
     */
    public record Curve(boolean enabled, Path secretKeyFile) {
        public Curve {
            Objects.requireNonNull(secretKeyFile, "secretKeyFile");
            if (secretKeyFile.toString().isBlank()) {
                throw new ConfigException("security.curve.secretKeyFile: must not be empty");
            }
        }
    }

    /** The settings with CURVE given as its two values. */
    public SecurityConfig(boolean curveEnabled, Path secretKeyFile, Path allowlist, List<String> ipAllow,
                          List<String> ipDeny) {
        this(new Curve(curveEnabled, secretKeyFile), allowlist, ipAllow, ipDeny);
    }

    /** The settings without access rules. */
    public SecurityConfig(Curve curve, Path allowlist, List<String> ipAllow, List<String> ipDeny) {
        this(curve, allowlist, ipAllow, ipDeny, AccessRules.none());
    }

    public SecurityConfig {
        Objects.requireNonNull(curve, "curve");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(allowlist, "allowlist");
        ipAllow = List.copyOf(ipAllow);
        ipDeny = List.copyOf(ipDeny);
        IpFilter.check("security.ipAllow", ipAllow);
        IpFilter.check("security.ipDeny", ipDeny);
        if (allowlist.toString().isBlank()) {
            throw new ConfigException("security.allowlist: must not be empty");
        }
    }

    /** CURVE off; when on, {@code keys/broker.key_secret} and {@code keys/clients}; any address. */
    public static SecurityConfig defaults() {
        return new SecurityConfig(false, Path.of("keys", "broker.key_secret"), Path.of("keys", "clients"),
                List.of(), List.of());
    }

    /** Whether the endpoints are CURVE servers. */
    public boolean curveEnabled() {
        return curve.enabled();
    }

    /** The broker's secret certificate file. */
    public Path secretKeyFile() {
        return curve.secretKeyFile();
    }

    public SecurityConfig withCurve(boolean enabled, Path secret, Path allowed) {
        return new SecurityConfig(new Curve(enabled, secret), allowed, ipAllow, ipDeny, rules);
    }

    public SecurityConfig withIpFilter(List<String> allow, List<String> deny) {
        return new SecurityConfig(curve, allowlist, allow, deny, rules);
    }

    public SecurityConfig withRules(AccessRules value) {
        return new SecurityConfig(curve, allowlist, ipAllow, ipDeny, value);
    }
}
