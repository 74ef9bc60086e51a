package io.courier.store;

/**
 * Where a stored message stands in its queue. Each value has a code stored on disk: codes never change meaning.
 */
public enum MessageState {
    /** Waiting to be delivered (new, nacked, or back after an ack timeout). */
    READY(0),
    /** Handed to a consumer and not yet acknowledged. */
    DELIVERED(1);

    private final int code;

    MessageState(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static MessageState fromCode(int code) {
        for (MessageState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown message state code " + code);
    }
}
