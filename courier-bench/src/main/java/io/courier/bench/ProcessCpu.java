package io.courier.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The CPU time this process has used, for the cost of a run per message: read at the start and the end of the
 * measured part. Thread-safe. {@code -1} where the JVM does not say (not HotSpot-compatible).
 */
public final class ProcessCpu {
    private ProcessCpu() {
    }

    /** CPU time of the whole process so far, all threads, in nanoseconds; -1 when unknown. */
    public static long nanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
            return hotspot.getProcessCpuTime();
        }
        return -1;
    }

    /** CPU seconds per million messages, from a CPU time in nanoseconds; NaN when the time is unknown. */
    public static double secondsPerMillion(long cpuNanos, long messages) {
        if (cpuNanos < 0 || messages <= 0) {
            return Double.NaN;
        }
        return cpuNanos / 1e9 * 1e6 / messages;
    }
}
