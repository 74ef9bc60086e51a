package io.courier.cli;

import io.courier.core.CourierException;
import java.io.PrintWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into one line on stderr and an exit code; never a stack trace unless {@code -Dcourier.debug=true}.
 * Stateless; used by every command through the handlers {@link Courier#commandLine()} installs.
 */
final class Errors implements IParameterExceptionHandler, IExecutionExceptionHandler {
    static final String PREFIX = "courier: ";
    private static final String REASON_SUFFIX = " \\[reason=[A-Z_]+]$";
    private static final String REFUSED_BY_BROKER = "refused by the broker at ";

    /** Bad usage: unknown option, missing or malformed value. Exit 2. */
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        cmd.getErr().println(PREFIX + ex.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName()
                + " --help')");
        cmd.getErr().flush();
        return ExitCodes.USAGE;
    }

    /** A command failed: a CourierException's reason picks the exit code, anything else exits 1. */
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        Throwable failure = unwrap(ex);
        cmd.getErr().println(PREFIX + describe(failure));
        if (Boolean.getBoolean("courier.debug")) {
            failure.printStackTrace(cmd.getErr());
        }
        cmd.getErr().flush();
        return failure instanceof CourierException e ? ExitCodes.of(e.reason()) : ExitCodes.ERROR;
    }

    /** Prints {@code courier: line} on the command's stderr, flushed: a failure, a warning or a notice. */
    static void print(CommandLine cmd, String line) {
        PrintWriter err = cmd.getErr();
        err.println(PREFIX + line);
        err.flush();
    }

    /** The cause behind the wrappers futures add. */
    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** A one-line description: a CourierException's message without its reason tag, else the exception. */
    static String describe(Throwable failure) {
        Throwable t = unwrap(failure);
        String refusal = refusal(t);
        if (refusal != null) {
            return refusal;
        }
        if (t instanceof CourierException) {
            return firstLine(t.getMessage().replaceFirst(REASON_SUFFIX, ""));
        }
        if (t.getMessage() == null) {
            return t.getClass().getSimpleName();
        }
        return t.getClass().getSimpleName() + ": " + firstLine(t.getMessage());
    }

    /**
     * A refusal by the broker at the security handshake in its own words,
     * {@code refused by the broker at tcp://host:port: authentication failed}, or null for any other failure.
     */
    static String refusal(Throwable failure) {
        Throwable t = unwrap(failure);
        if (!(t instanceof CourierException c) || c.reason() != CourierException.Reason.REFUSED) {
            return null;
        }
        String m = message(c);
        int at = m.indexOf(REFUSED_BY_BROKER);
        return at < 0 ? null : m.substring(at);
    }

    /** The message alone (no reason tag), or an empty string. */
    static String message(Throwable failure) {
        String m = unwrap(failure).getMessage();
        return m == null ? "" : firstLine(m.replaceFirst(REASON_SUFFIX, ""));
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
