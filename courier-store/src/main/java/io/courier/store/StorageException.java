package io.courier.store;

import io.courier.core.CourierException;

/**
 * The durable store cannot do what was asked: its directory cannot be used, its files are corrupt, or a write did
 * not reach the disk. The message names the directory and the cause.
 *
 * <p>{@link CourierException.Reason} has no storage value, so this carries {@link CourierException.Reason#UNAVAILABLE}
 * ("the broker cannot take the work now"); callers that need to tell storage failures apart catch this type.
 * Immutable, so thread-safe.
 */
public final class StorageException extends CourierException {
    private static final long serialVersionUID = 1L;

    public StorageException(String detail) {
        super(Reason.UNAVAILABLE, detail);
    }

    public StorageException(String detail, Throwable cause) {
        super(Reason.UNAVAILABLE, detail, cause);
    }
}
