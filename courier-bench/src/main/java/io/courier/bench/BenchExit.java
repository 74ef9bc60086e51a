package io.courier.bench;

import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import java.io.PrintWriter;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How every {@code courier bench} command ends: its report on stdout and exit code 0, or on a failure one line on
 * stderr and the CLI's exit codes: 1 failed, 2 usage or config, 3 nothing came back in time, 4 refused. Stateless.
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

    /**
     * Runs a benchmark with {@code report}, which returns its report, and prints it (a JSON report on a line of its
     * own); returns 0, or on a failure what {@link #failed} returns. Check the options before: a usage error thrown
     * by {@code report} would count as a failure.
     */
    public static int report(CommandSpec spec, String command, boolean json, Supplier<String> report) {
        PrintWriter out = spec.commandLine().getOut();
        try {
            out.print(json ? report.get() + System.lineSeparator() : report.get());
            out.flush();
            return 0;
        } catch (RuntimeException e) {
            return failed(spec.commandLine().getErr(), command, e);
        }
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
