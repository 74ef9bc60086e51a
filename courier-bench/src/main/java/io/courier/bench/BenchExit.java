package io.courier.bench;

import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import java.io.PrintWriter;

/**
 * How every {@code courier bench} command ends on a failure, with the CLI's exit codes: 1 failed, 2 usage or
 * config, 3 nothing came back in time, 4 refused. Stateless.
 */
public final class BenchExit {
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int NO_RESULT = 3;
    public static final int REFUSED = 4;

    private BenchExit() {
    }

    /** The exit code of a run that failed for {@code reason}. */
    public static int of(Reason reason) {
        return switch (reason) {
            case TIMEOUT, EXPIRED, UNKNOWN_SERVICE, UNAVAILABLE -> NO_RESULT;
            case REFUSED -> REFUSED;
            case CONFIG -> USAGE;
            default -> FAILED;
        };
    }

    /** Prints {@code <command> failed: <why>} on {@code err} and returns the exit code for {@code failure}. */
    public static int failed(PrintWriter err, String command, RuntimeException failure) {
        if (failure instanceof CourierException e) {
            err.println(command + " failed: " + e.getMessage());
            err.flush();
            return of(e.reason());
        }
        err.println(command + " failed: " + failure);
        err.flush();
        return FAILED;
    }
}
