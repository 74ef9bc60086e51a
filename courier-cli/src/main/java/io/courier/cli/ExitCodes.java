package io.courier.cli;

import io.courier.core.CourierException;

/** The exit codes every command uses. Stateless. */
final class ExitCodes {
    static final int OK = 0;
    static final int ERROR = 1;
    static final int USAGE = 2;
    static final int NO_REPLY = 3;
    static final int REFUSED = 4;

    private ExitCodes() {
    }

    /** The exit code for a failure reason: 3 for no reply in time, 4 refused, 2 bad configuration, else 1. */
    static int of(CourierException.Reason reason) {
        return switch (reason) {
            case TIMEOUT, EXPIRED -> NO_REPLY;
            case REFUSED -> REFUSED;
            case CONFIG -> USAGE;
            default -> ERROR;
        };
    }
}
