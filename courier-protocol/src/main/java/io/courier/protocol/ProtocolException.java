package io.courier.protocol;

import io.courier.core.CourierException;

/** A frame or message that does not follow the protocol. Thrown by the codecs; never escapes a socket loop. */
public final class ProtocolException extends CourierException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String detail) {
        super(Reason.PROTOCOL, detail);
    }
}
