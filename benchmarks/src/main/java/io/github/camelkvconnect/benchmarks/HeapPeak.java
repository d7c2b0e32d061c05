package io.github.camelkvconnect.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Peak heap of a phase from the JVM's memory pools: {@link #reset()} before, {@link #peakBytes()} after. The peak is
 * the sum of every heap pool's own peak (eden, survivor, old), an upper bound of the real peak since the pools need not
 * peak at the same moment; it also counts garbage that had not been collected yet, so it says how much heap the phase
 * needed at most, bounded by -Xmx.
 */
final class HeapPeak {

    private HeapPeak() {
    }

    /** Collects garbage left by earlier phases, then restarts the peak bookkeeping of every heap pool. */
    static void reset() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
            }
        }
    }

    static long peakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** The -Xmx in effect. */
    static long maxHeapBytes() {
        return Runtime.getRuntime().maxMemory();
    }
}
