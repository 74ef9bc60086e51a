package io.courier.broker.security;

import io.courier.core.certificate.CurveKeys;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions of the ZAP handler (RFC 27), without sockets: a request's frames in, the reply's frames out. A
 * peer is let in when its mechanism is CURVE, its address passes the {@link IpFilter} and its public key is in
 * the {@link Allowlist}; the reply's User-Id is then the certificate's name, which the broker sees as the
 * {@code User-Id} property of every message from that peer. Each refusal is counted, and logged at WARN once per
 * peer key, address and reason (then at DEBUG). Confined to the {@code courier-zap} thread.
 */
public final class ZapCore {
    private static final Logger LOG = LoggerFactory.getLogger(ZapCore.class);
    private static final int MAX_REMEMBERED = 10_000;
    private static final byte[] EMPTY = new byte[0];
    private static final long MISS_RESCAN_NANOS = 100_000_000;

    private final Allowlist allowlist;
    private final Consumer<String> failures;
    private final boolean curveRequired;
    private volatile IpFilter ipFilter;
    private long lastMissRescan = System.nanoTime() - MISS_RESCAN_NANOS;
    private final Map<String, Boolean> logged = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    /**
     * @param curveRequired true with CURVE on: only CURVE peers with an allowed key get in; false: only the
     *                      address is checked (NULL mechanism, no User-Id)
     * @param failures      counts each refusal by reason (the metric)
     */
    public ZapCore(boolean curveRequired, Allowlist allowlist, IpFilter ipFilter, Consumer<String> failures) {
        this.curveRequired = curveRequired;
        this.allowlist = allowlist;
        this.ipFilter = ipFilter;
        this.failures = failures;
    }

    /** Any thread: replaces the address filter; later handshakes use it. */
    public void setIpFilter(IpFilter value) {
        ipFilter = value;
    }

    /** The reply to a ZAP request; a malformed request gets status 500. */
    public List<byte[]> onRequest(List<byte[]> request) {
        if (request.size() < 6) {
            LOG.warn("malformed ZAP request frames={}", request.size());
            return reply(request.isEmpty() ? bytes("1.0") : request.get(0), request.size() < 2 ? EMPTY
                    : request.get(1), "500", "malformed ZAP request", "");
        }
        byte[] version = request.get(0);
        byte[] requestId = request.get(1);
        String address = text(request.get(3));
        String mechanism = text(request.get(5));
        if (!"1.0".equals(text(version))) {
            return reply(version, requestId, "500", "ZAP version not supported", "");
        }
        if (!curveRequired) {
            String ipRefusal = ipFilter.refusal(address);
            return ipRefusal == null ? reply(version, requestId, "200", "OK", "")
                    : refuse(version, requestId, ipRefusal, "-", address, ipText(ipRefusal));
        }
        if (!"CURVE".equals(mechanism)) {
            return refuse(version, requestId, "mechanism", "-", address, "mechanism " + mechanism
                    + " not accepted, CURVE required");
        }
        if (request.size() < 7 || request.get(6).length != 32) {
            return refuse(version, requestId, "mechanism", "-", address, "no CURVE key in the request");
        }
        String key = CurveKeys.encode(request.get(6));
        String ipRefusal = ipFilter.refusal(address);
        if (ipRefusal != null) {
            return refuse(version, requestId, ipRefusal, key, address, ipText(ipRefusal));
        }
        String name = allowlist.nameOf(key);
        boolean due = System.nanoTime() - lastMissRescan > MISS_RESCAN_NANOS;
        if (name == null && (due || allowlist.directoryChanged())) {
            lastMissRescan = System.nanoTime();   // a key just added need not wait for the periodic rescan
            allowlist.rescan();
            name = allowlist.nameOf(key);
        }
        if (name == null) {
            return refuse(version, requestId, "unknown_key", key, address, "key not in the allowlist");
        }
        LOG.debug("client authenticated name={} key={} address={}", name, key, address);
        return reply(version, requestId, "200", "OK", name);
    }

    private List<byte[]> refuse(byte[] version, byte[] requestId, String reason, String key, String address,
                                String text) {
        failures.accept(reason);
        if (logged.put(reason + "|" + key + "|" + address, Boolean.TRUE) == null) {
            LOG.warn("client refused key={} address={} reason={} detail={}", key, address, reason, text);
        } else {
            LOG.debug("client refused again key={} address={} reason={}", key, address, reason);
        }
        return reply(version, requestId, "400", text, "");
    }

    private static String ipText(String reason) {
        return reason.equals("ip_denied") ? "address denied (security.ipDeny)"
                : "address not allowed (security.ipAllow)";
    }

    private static List<byte[]> reply(byte[] version, byte[] requestId, String status, String text, String userId) {
        return List.of(version, requestId, bytes(status), bytes(text), bytes(userId), EMPTY);
    }

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
