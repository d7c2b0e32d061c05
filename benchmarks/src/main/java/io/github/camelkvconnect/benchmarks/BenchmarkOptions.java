package io.github.camelkvconnect.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * What to measure and for how long. Defaults are the figures the project's performance targets are stated for (1 KiB
 * and 100 MiB bodies); the smoke test shrinks everything to finish in seconds.
 *
 * @param smallBytes     body size of the per-message phase (default 1024)
 * @param largeBytes     body size of the throughput phase (default 100 MiB)
 * @param warmup         minimum warm-up per per-message measurement (JIT, page cache), not counted
 * @param maxWarmup      the project's warm-up goes on until the JIT compiler has settled, at most this long
 * @param window         measured time per per-message measurement
 * @param largeRuns      measured runs of the throughput phase per side (after one uncounted warm-up run); the fastest
 *                       counts
 * @param speedSeconds   duration passed to {@code openssl speed -seconds} (it runs sign and verify, so twice that)
 * @param openssl        the openssl executable
 * @param workDirectory  parent of the run's scratch directory
 * @param keep           keep the scratch directory (keys, inputs, both sides' outputs) for inspection
 */
record BenchmarkOptions(long smallBytes, long largeBytes, Duration warmup, Duration maxWarmup, Duration window,
                        int largeRuns, int speedSeconds, String openssl, Path workDirectory, boolean keep) {

    static final String USAGE = """
            Usage: java -Xmx256m -jar camel-kvconnect-benchmarks.jar [options]
              --small-bytes N           body of the per-message phase in bytes (default 1024)
              --large-mib N             body of the throughput phase in MiB (default 100)
              --warmup-seconds S        minimum warm-up per per-message measurement (default 5)
              --max-warmup-seconds S    the project's warm-up goes on until the JIT has settled, at most S (default 60)
              --seconds S               measured time per per-message measurement (default 5)
              --large-runs N            measured runs of the throughput phase per side, fastest counts (default 3)
              --speed-seconds N         openssl speed -seconds (default 3)
              --openssl PATH            openssl executable (default: openssl on the PATH)
              --work-dir DIR            scratch space, needs about 8 x the large body (default java.io.tmpdir)
              --keep                    keep the scratch directory (keys, inputs, outputs) instead of deleting it
            """;

    private static final Set<String> VALUE_OPTIONS = Set.of("--small-bytes", "--large-mib", "--warmup-seconds",
            "--max-warmup-seconds", "--seconds", "--large-runs", "--speed-seconds", "--openssl", "--work-dir");

    static BenchmarkOptions defaults() {
        return new BenchmarkOptions(1024, 100L << 20, Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(5),
                3, 3, "openssl",
                Path.of(System.getProperty("java.io.tmpdir")), false);
    }

    static BenchmarkOptions parse(String... args) {
        BenchmarkOptions d = defaults();
        long small = d.smallBytes;
        long large = d.largeBytes;
        Duration warmup = d.warmup;
        Duration maxWarmup = d.maxWarmup;
        Duration window = d.window;
        int runs = d.largeRuns;
        int speed = d.speedSeconds;
        String openssl = d.openssl;
        Path work = d.workDirectory;
        boolean keep = d.keep;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (name.equals("--keep")) {
                keep = true;
                continue;
            }
            if (!VALUE_OPTIONS.contains(name)) {
                throw new IllegalArgumentException("Unknown option " + name + "\n" + USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Option " + name + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            try {
                switch (name) {
                    case "--small-bytes" -> small = positive(name, Long.parseLong(value));
                    case "--large-mib" -> large = positive(name, Long.parseLong(value)) << 20;
                    case "--warmup-seconds" -> warmup = seconds(name, value);
                    case "--max-warmup-seconds" -> maxWarmup = seconds(name, value);
                    case "--seconds" -> window = seconds(name, value);
                    case "--large-runs" -> runs = (int) positive(name, Integer.parseInt(value));
                    case "--speed-seconds" -> speed = (int) positive(name, Integer.parseInt(value));
                    case "--openssl" -> openssl = value;
                    case "--work-dir" -> work = Path.of(value);
                    default -> throw new IllegalStateException("option " + name + " is listed but not handled");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Option " + name + " needs a number, not '" + value + "'\n" + USAGE, e);
            }
        }
        return new BenchmarkOptions(small, large, warmup, maxWarmup, window, runs, speed, openssl, work, keep);
    }

    private static long positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException("Option " + name + " must be positive\n" + USAGE);
        }
        return v;
    }

    private static Duration seconds(String name, String value) {
        double s = Double.parseDouble(value);
        if (!(s >= 0)) {
            throw new IllegalArgumentException("Option " + name + " must not be negative\n" + USAGE);
        }
        return Duration.ofNanos((long) (s * 1e9));
    }
}
