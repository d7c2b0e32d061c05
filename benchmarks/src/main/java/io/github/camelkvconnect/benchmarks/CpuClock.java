package io.github.camelkvconnect.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time, so that the figures mean "on one dedicated core" even when other processes share the machine: the JVM's
 * own (all its threads, so garbage collection and JIT are charged to the project) and that of the child processes it
 * has waited for (openssl, from /proc/self/stat). {@code openssl speed} divides by CPU time as well.
 */
final class CpuClock {

    private static final Path STAT = Path.of("/proc/self/stat");
    private static final long TICK_NANOS = 1_000_000_000L / clockTicks();

    private CpuClock() {
    }

    /** CPU time of this JVM in nanoseconds; -1 if the platform does not tell. */
    static long selfNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** CPU time (user + system) of the terminated child processes, including theirs; -1 without /proc. */
    static long childrenNanos() {
        try {
            String stat = Files.readString(STAT, StandardCharsets.US_ASCII);
            // fields after the command name in parentheses: state is the 1st, cutime the 14th, cstime the 15th
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * TICK_NANOS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
