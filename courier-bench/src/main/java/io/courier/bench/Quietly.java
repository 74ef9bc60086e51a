package io.courier.bench;

/** Closing after a run: bounded and best effort, since the measurement is already taken. Stateless. */
public final class Quietly {
    private Quietly() {
    }

    /** Closes {@code resource}, if any, and ignores what closing throws. */
    public static void close(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            // closing is bounded and best effort: the measurement is already taken
        }
    }
}
