package io.github.camelkvconnect.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Timing loops. Everything runs on the calling thread, one operation at a time. Rates are counted against CPU time
 * (see {@link CpuClock}) and wall time; the CPU-time rate is what the report compares.
 */
final class Measure {

    /** One unit of work; may throw, which aborts the benchmark (a failed operation must never count). */
    @FunctionalInterface
    interface Operation {
        void run() throws Exception;
    }

    /** Whose CPU time an operation costs. */
    enum Cpu {
        /** this JVM's (the project) */
        SELF(CpuClock::selfNanos),
        /** the child processes' (openssl) */
        CHILDREN(CpuClock::childrenNanos);

        private final LongSupplier clock;

        Cpu(LongSupplier clock) {
            this.clock = clock;
        }

        long nanos() {
            return clock.getAsLong();
        }
    }

    /**
     * @param operations how many were timed
     * @param wall       wall time they took
     * @param cpu        CPU time they took (null if the platform does not tell)
     * @param warmup     untimed warm-up before them
     */
    record Rate(long operations, Duration wall, Duration cpu, Duration warmup) {

        Rate(long operations, Duration wall, Duration cpu) {
            this(operations, wall, cpu, Duration.ZERO);
        }

        /** Operations per CPU second, or per wall second if CPU time is unknown. */
        double perSecond() {
            return operations / seconds(cpu != null ? cpu : wall);
        }

        double perWallSecond() {
            return operations / seconds(wall);
        }
    }

    /** A warm-up slice of the JVM counts as settled when its other threads used at most this share of the CPU. */
    static final double SETTLED_BACKGROUND_SHARE = 0.10;
    private static final Duration SLICE = Duration.ofSeconds(2);

    private Measure() {
    }

    /**
     * Runs {@code op} for {@code warmup} (at least once, not counted), then for {@code window} (at least once) and
     * returns the rate of the timed part. For the JVM's own work ({@link Cpu#SELF}) the warm-up goes on, in slices of
     * two seconds up to {@code maxWarmup}, until the JIT compiler has settled: code this broad (CMS, ASN.1, PKIX, MIME)
     * keeps C2 busy for tens of seconds, and its CPU time would be charged to the measurement.
     */
    static Rate rate(Duration warmup, Duration maxWarmup, Duration window, Cpu cpu, Operation op) throws Exception {
        long begin = System.nanoTime();
        long end = begin + warmup.toNanos();
        do {
            op.run();
        } while (System.nanoTime() < end);
        if (cpu == Cpu.SELF) {
            long limit = begin + Math.max(warmup.toNanos(), maxWarmup.toNanos());
            while (System.nanoTime() < limit && !settled(op)) {
                // another slice
            }
        }
        Duration warmedUp = Duration.ofNanos(System.nanoTime() - begin);
        long cpuStart = cpu.nanos();
        long start = System.nanoTime();
        end = start + window.toNanos();
        long count = 0;
        long now;
        do {
            op.run();
            count++;
            now = System.nanoTime();
        } while (now < end);
        return new Rate(count, Duration.ofNanos(now - start), cpuSince(cpu, cpuStart), warmedUp);
    }

    /** Runs one slice; true if the JVM's other threads (JIT, GC) used little CPU next to this one meanwhile. */
    private static boolean settled(Operation op) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isCurrentThreadCpuTimeSupported() || CpuClock.selfNanos() < 0) {
            return true;
        }
        long process = CpuClock.selfNanos();
        long thread = threads.getCurrentThreadCpuTime();
        long end = System.nanoTime() + SLICE.toNanos();
        do {
            op.run();
        } while (System.nanoTime() < end);
        long own = threads.getCurrentThreadCpuTime() - thread;
        long others = CpuClock.selfNanos() - process - own;
        return others <= SETTLED_BACKGROUND_SHARE * own;
    }

    /** Wall and CPU time of one run of {@code op}. */
    static Rate once(Cpu cpu, Operation op) throws Exception {
        long cpuStart = cpu.nanos();
        long start = System.nanoTime();
        op.run();
        return new Rate(1, Duration.ofNanos(System.nanoTime() - start), cpuSince(cpu, cpuStart));
    }

    /** CPU time since {@code cpuStart} (a reading of the same clock); null if unknown. */
    static Duration cpuSince(Cpu cpu, long cpuStart) {
        long cpuEnd = cpu.nanos();
        return cpuStart < 0 || cpuEnd < 0 || cpuEnd <= cpuStart ? null : Duration.ofNanos(cpuEnd - cpuStart);
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
