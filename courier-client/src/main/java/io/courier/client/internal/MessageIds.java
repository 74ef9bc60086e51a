package io.courier.client.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Producer message ids for enqueues that bring none: this client's random 128-bit prefix, a dot and a counter,
 * like {@code "kq0Zf3Lx2mB9vQ8tR1yH4w.1f"}. As unique as a random UUID across clients (the prefix is drawn once from
 * {@link SecureRandom}) and unique within the client by the counter, at a fraction of the cost: a random UUID per
 * enqueue reads the system's entropy source under a lock. Thread-safe.
 */
final class MessageIds {
    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    MessageIds() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        prefix = Base64.getUrlEncoder().withoutPadding().encodeToString(random) + ".";
    }

    String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }
}
