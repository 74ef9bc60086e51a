package io.courier.broker.security;

import io.courier.broker.metrics.BrokerMetrics;
import io.courier.core.ConfigException;
import io.courier.protocol.Endpoints;
import io.courier.core.certificate.CertificateFile;
import io.courier.core.certificate.CurveKeys;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The broker's security as its event loop uses it: checks the settings and loads the broker's secret key at
 * start, starts the ZAP handler before any endpoint is bound, makes each endpoint socket a CURVE server, and
 * stops the handler before the context closes. Built and used on the broker loop thread; {@link #reconfigure}
 * may run there too.
 */
public final class BrokerSecurity {
    /** The ZAP domain the endpoints ask for; with CURVE off, it is what makes JeroMQ consult the handler. */
    public static final String ZAP_DOMAIN = "courier";
    private static final Logger LOG = LoggerFactory.getLogger(BrokerSecurity.class);
    private static final long START_WAIT_SECONDS = 5;
    private static final long STOP_WAIT_MILLIS = 1_000;

    private final SecurityConfig config;
    private final byte[] secretKey;
    private final ZapCore core;
    private final ZapHandler handler;

    private BrokerSecurity(SecurityConfig config, byte[] secretKey, ZapCore core, ZapHandler handler) {
        this.config = config;
        this.secretKey = secretKey;
        this.core = core;
        this.handler = handler;
    }

    /**
     * Checks {@code config} and starts what it needs: with CURVE on, or with an address filter, the ZAP handler
     * on {@code ctx}. Returns once the handler is bound.
     *
     * @throws ConfigException naming the key: a missing or unreadable secret key file, a file without a secret
     *                         key, an allowlist that is not a directory
     */
    public static BrokerSecurity start(ZContext ctx, SecurityConfig config, BrokerMetrics metrics) {
        boolean filtering = !config.ipAllow().isEmpty() || !config.ipDeny().isEmpty();
        if (!config.curveEnabled() && !filtering) {
            return new BrokerSecurity(config, null, null, null);
        }
        byte[] secret = config.curveEnabled() ? secretKey(config) : null;
        if (config.curveEnabled() && !Files.isDirectory(config.allowlist())) {
            throw new ConfigException("security.allowlist: not a directory: " + config.allowlist()
                    + " (create it, and put the clients' public NAME.key files in it)");
        }
        Allowlist allowlist = new Allowlist(config.allowlist());
        ZapCore core = new ZapCore(config.curveEnabled(), allowlist, IpFilter.of(config.ipAllow(), config.ipDeny()),
                metrics::onAuthFailure);
        ZapHandler handler = new ZapHandler(ctx, core, allowlist);
        try {
            handler.start().get(START_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            handler.stop(STOP_WAIT_MILLIS);
            throw new ConfigException("security: the ZAP handler did not start: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handler.stop(STOP_WAIT_MILLIS);
            throw new ConfigException("security: interrupted while starting the ZAP handler", e);
        }
        LOG.info("security on curve={} allowlist={} ipAllow={} ipDeny={}", config.curveEnabled(),
                config.curveEnabled() ? config.allowlist() : "-", config.ipAllow(), config.ipDeny());
        return new BrokerSecurity(config, secret, core, handler);
    }

    private static byte[] secretKey(SecurityConfig config) {
        String key = "security.curve.secretKeyFile";
        if (!Files.exists(config.secretKeyFile())) {
            throw new ConfigException(key + ": file not found: " + config.secretKeyFile()
                    + " (make one with: courier keygen broker --dir " + parentOf(config) + ")");
        }
        CertificateFile certificate;
        try {
            certificate = CertificateFile.read(config.secretKeyFile());
        } catch (ConfigException e) {
            throw new ConfigException(key + ": " + e.getMessage(), e);
        }
        if (certificate.secretKey() == null) {
            throw new ConfigException(key + ": " + config.secretKeyFile() + " holds no secret-key (give the "
                    + "NAME.key_secret file, not the public NAME.key)");
        }
        return CurveKeys.decode(key, certificate.secretKey());
    }

    private static String parentOf(SecurityConfig config) {
        return config.secretKeyFile().getParent() == null ? "." : config.secretKeyFile().getParent().toString();
    }

    /**
     * Logs a WARN when CURVE is off and an endpoint listens beyond loopback: anyone who reaches the port can call
     * services, publish and subscribe. Returns the exposed endpoints. Any thread.
     */
    public static List<String> warnIfExposed(SecurityConfig config, List<String> endpoints) {
        if (config.curveEnabled()) {
            return List.of();
        }
        List<String> exposed = endpoints.stream().filter(e -> !Endpoints.isLoopback(e)).toList();
        if (!exposed.isEmpty()) {
            LOG.warn("security is off and endpoints listen beyond loopback: anyone who reaches them may connect "
                    + "endpoints={} (set security.curve.enabled, see docs/security.md)", exposed);
        }
        return exposed;
    }

    /** Whether the endpoints are CURVE servers. */
    public boolean curve() {
        return secretKey != null;
    }

    /** Makes {@code socket} a CURVE server (or, with only an address filter, a ZAP-checked plain socket). */
    public void apply(ZMQ.Socket socket) {
        if (handler == null) {
            return;
        }
        socket.setZapDomain(ZAP_DOMAIN);
        if (secretKey != null) {
            socket.setCurveServer(true);
            socket.setCurveSecretKey(secretKey);
        }
    }

    /** Applies what can change live: the address filter. Restart-only keys are left as they are. */
    public void reconfigure(SecurityConfig next) {
        if (core != null) {
            core.setIpFilter(IpFilter.of(next.ipAllow(), next.ipDeny()));
        } else if (!next.ipAllow().isEmpty() || !next.ipDeny().isEmpty()) {
            LOG.warn("security.ipAllow/ipDeny set on a broker started without them: restart to apply");
        }
    }

    /** Stops the ZAP handler; call before the context closes. */
    public void stop() {
        if (handler != null) {
            handler.stop(STOP_WAIT_MILLIS);
        }
    }

    @Override
    public String toString() {
        return "BrokerSecurity[curve=" + curve() + ", config=" + config + "]";
    }
}
