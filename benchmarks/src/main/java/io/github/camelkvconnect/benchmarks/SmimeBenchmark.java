package io.github.camelkvconnect.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.security.Provider;
import java.util.Locale;

import io.github.camelkvconnect.smime.RsaProviders;

/**
 * S/MIME benchmark: camel-kvconnect-smime side by side with OpenSSL, same keys, same input files, one operation at a
 * time on both sides. Prints the progress on stderr and the result table on stdout. See docs/benchmarks.md for what
 * is measured and how to read it.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests &amp;&amp; java -Xmx256m -jar benchmarks/target/camel-kvconnect-benchmarks.jar
 * </pre>
 */
public final class SmimeBenchmark {

    /** Issue target: 1 KiB messages per second ≥ 80 % of openssl's RSA-2048 private-key operations per second. */
    static final double SMALL_TARGET = 0.80;
    /** Issue target: 100 MiB throughput at least openssl's. */
    static final double LARGE_TARGET = 1.00;

    private final BenchmarkOptions options;
    private final PrintStream progress;

    SmimeBenchmark(BenchmarkOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public static void main(String[] args) {
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            new SmimeBenchmark(options, System.err).run().print(System.out);
        } catch (Exception e) {
            System.err.println("The benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Runs every phase and returns the report; the scratch directory is deleted in any case unless kept. */
    Report run() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(options.workDirectory()), "kvc-benchmark-");
        try {
            return run(work);
        } finally {
            if (options.keep()) {
                step("scratch directory kept: " + work);
            } else {
                deleteTree(work);
            }
        }
    }

    /** What the phases share: the scratch directory, keys, both sides and the report being filled. */
    /**
     * What the phases share: the scratch directory, keys, the project with the default providers and with its RSA on
     * ACCP ({@code accp} null where ACCP is unavailable), openssl and the report being filled.
     */
    private record Context(Path work, BenchmarkPki pki, ProjectSide project, ProjectSide accp, Provider accpProvider,
                           OpenSslSide openssl, Report report) {
    }

    /** The openssl reference rates (NaN without openssl). */
    private record Reference(double speedSign, double speedVerify, double spawnMillis) {
    }

    private Report run(Path work) throws Exception {
        Report report = new Report();
        step("generating the throwaway PKI (RSA-2048)");
        BenchmarkPki pki = BenchmarkPki.create(work.resolve("keys"));
        OpenSslSide openssl = null;
        String opensslProblem = null;
        try {
            openssl = OpenSslSide.locate(options.openssl(), pki.pemDirectory);
        } catch (IllegalStateException e) {
            opensslProblem = e.getMessage();
            step("OPENSSL NOT AVAILABLE, measuring the project only: " + opensslProblem);
        }
        header(report, openssl, opensslProblem);
        Path readerTemp = Files.createDirectories(work.resolve("reader-temp"));
        Provider accp = RsaProviders.accelerated().orElse(null);
        if (accp == null) {
            step("ACCP NOT AVAILABLE (not on the class path or failed its self-test): the rsaProvider rows say n/a");
        }
        Context c = new Context(work, pki, new ProjectSide(pki, readerTemp, null),
                accp == null ? null : new ProjectSide(pki, readerTemp, accp), accp, openssl, report);

        Reference reference = reference(c);
        smallMessages(c, reference);
        largeMessages(c);
        jvmRsa(c, reference);
        report.note("All rates are per CPU second (user + system) of the side doing the work, i.e. what one dedicated "
                    + "core achieves, also while other processes share the machine: the JVM's CPU time (all threads, "
                    + "so garbage collection and JIT count against the project) and openssl's; `openssl speed` counts "
                    + "the same way. Wall-clock figures are listed below.");
        report.note("Peak memory: project = sum of the JVM heap pools' peaks during the phase (an upper bound that "
                    + "includes garbage not yet collected, capped by -Xmx); openssl = peak resident set size of its "
                    + "largest process (GNU time), which also counts code and libraries.");
        return report;
    }

    /** {@code openssl speed rsa2048} (the yardstick for small messages) and the cost of a process start. */
    private Reference reference(Context c) throws Exception {
        if (c.openssl() == null) {
            return new Reference(Report.NONE, Report.NONE, Report.NONE);
        }
        step("openssl speed rsa2048 (-seconds " + options.speedSeconds() + ")");
        double[] speed = c.openssl().speedRsa2048(options.speedSeconds());
        step("openssl: process start (openssl version)");
        Measure.Rate spawn = Measure.rate(Duration.ZERO, Duration.ZERO, min(options.window(), Duration.ofSeconds(1)),
                Measure.Cpu.CHILDREN, c.openssl()::processStart);
        return new Reference(speed[0], speed[1], 1000 / spawn.perWallSecond());
    }

    private void smallMessages(Context c, Reference reference) throws Exception {
        String small = Report.size(options.smallBytes());
        Path entity = EntityFiles.write(c.work().resolve("small-entity.eml"), options.smallBytes());
        Path transport = c.work().resolve("small-project.eml");
        ProjectSide project = c.project();

        step("project: " + small + " sign+encrypt");
        Measure.Rate pSE = Measure.rate(options.warmup(), options.maxWarmup(), options.window(), Measure.Cpu.SELF,
                () -> project.signAndEncrypt(entity, transport));
        step("project: " + small + " decrypt+verify");
        Measure.Rate pDV = Measure.rate(options.warmup(), options.maxWarmup(), options.window(), Measure.Cpu.SELF,
                () -> project.decryptAndVerify(transport, null));
        Path roundTrip = c.work().resolve("small-project-roundtrip.eml");
        project.decryptAndVerify(transport, roundTrip);
        requireSame(entity, roundTrip, "the project's decrypted " + small + " entity");
        detail(c, "project", small + " sign+encrypt", pSE, "msgs");
        detail(c, "project", small + " decrypt+verify", pDV, "msgs");

        Measure.Rate aSE = null;
        Measure.Rate aDV = null;
        if (c.accp() != null) {
            Path accpTransport = c.work().resolve("small-project-accp.eml");
            step("project, RSA on ACCP: " + small + " sign+encrypt");
            aSE = Measure.rate(options.warmup(), options.maxWarmup(), options.window(), Measure.Cpu.SELF,
                    () -> c.accp().signAndEncrypt(entity, accpTransport));
            step("project, RSA on ACCP: " + small + " decrypt+verify");
            aDV = Measure.rate(options.warmup(), options.maxWarmup(), options.window(), Measure.Cpu.SELF,
                    () -> c.accp().decryptAndVerify(transport, null));
            // same format: each configuration reads the other's message
            c.accp().decryptAndVerify(accpTransport, roundTrip);
            requireSame(entity, roundTrip, "the project's (ACCP) decrypted " + small + " entity");
            project.decryptAndVerify(accpTransport, null);
            detail(c, "project, RSA on ACCP", small + " sign+encrypt", aSE, "msgs");
            detail(c, "project, RSA on ACCP", small + " decrypt+verify", aDV, "msgs");
        }

        Measure.Rate cliSE = null;
        Measure.Rate cliDV = null;
        Measure.Rate libSE = null;
        Measure.Rate libDV = null;
        String libraryProblem = "openssl is not available";
        if (c.openssl() != null) {
            OpenSslSide o = c.openssl();
            Path signed = c.work().resolve("small-openssl-signed.eml");
            Path opensslTransport = c.work().resolve("small-openssl.eml");
            Path decrypted = c.work().resolve("small-openssl-decrypted.eml");
            Path content = c.work().resolve("small-openssl-content.eml");
            Duration warm = min(options.warmup(), Duration.ofSeconds(1));
            step("openssl cms: " + small + " sign+encrypt (cms -sign, then cms -encrypt)");
            cliSE = Measure.rate(warm, warm, options.window(), Measure.Cpu.CHILDREN, () -> {
                o.sign(entity, signed, false);
                o.encrypt(signed, opensslTransport, false);
            });
            step("openssl cms: " + small + " decrypt+verify of the project's message (cms -decrypt, then cms -verify)");
            cliDV = Measure.rate(warm, warm, options.window(), Measure.Cpu.CHILDREN, () -> {
                o.decrypt(transport, decrypted);
                o.verify(decrypted, content);
            });
            requireSame(entity, content, "openssl's verified " + small + " content");
            // and the project reads what openssl wrote: both sides produce the same kind of message
            project.decryptAndVerify(opensslTransport, null);
            detail(c, "openssl cms CLI", small + " sign+encrypt", cliSE, "msgs");
            detail(c, "openssl cms CLI", small + " decrypt+verify", cliDV, "msgs");

            step("libcrypto CMS in one process: compiling cms_batch.c");
            OpenSslLibrary library = null;
            try {
                library = OpenSslLibrary.compile(c.work(), c.pki().pemDirectory);
            } catch (IllegalStateException e) {
                libraryProblem = e.getMessage();
                step("LIBCRYPTO FIGURES NOT AVAILABLE: " + libraryProblem);
            }
            if (library != null) {
                Path libTransport = c.work().resolve("small-libcrypto.eml");
                Path libContent = c.work().resolve("small-libcrypto-content.eml");
                step("libcrypto CMS in one process: " + small + " sign+encrypt");
                libSE = library.signAndEncrypt(options.warmup(), options.window(), entity, libTransport);
                step("libcrypto CMS in one process: " + small + " decrypt+verify of the project's message");
                libDV = library.decryptAndVerify(options.warmup(), options.window(), transport, libContent);
                requireSame(entity, libContent, "libcrypto's verified " + small + " content");
                project.decryptAndVerify(libTransport, null);
                detail(c, "libcrypto CMS", small + " sign+encrypt", libSE, "msgs");
                detail(c, "libcrypto CMS", small + " decrypt+verify", libDV, "msgs");
            }
        }

        Report r = c.report();
        r.row(small + " sign+encrypt vs `openssl cms` CLI, one process per step", "msgs/s", pSE.perSecond(), rate(cliSE),
                Report.NONE);
        r.row(small + " sign+encrypt vs libcrypto CMS in one process (cms_batch.c)", "msgs/s", pSE.perSecond(),
                rate(libSE), Report.NONE);
        r.row(small + " sign+encrypt vs `openssl speed rsa2048` sign/s", "msgs/s", pSE.perSecond(), reference.speedSign(),
                SMALL_TARGET);
        r.row(small + " decrypt+verify vs `openssl cms` CLI, one process per step", "msgs/s", pDV.perSecond(),
                rate(cliDV), Report.NONE);
        r.row(small + " decrypt+verify vs libcrypto CMS in one process (cms_batch.c)", "msgs/s", pDV.perSecond(),
                rate(libDV), Report.NONE);
        r.row(small + " decrypt+verify vs `openssl speed rsa2048` sign/s", "msgs/s", pDV.perSecond(),
                reference.speedSign(), SMALL_TARGET);
        String accp = ", RSA on ACCP (rsaProvider)";
        r.row(small + " sign+encrypt" + accp + " vs `openssl cms` CLI", "msgs/s", rate(aSE), rate(cliSE), Report.NONE);
        r.row(small + " sign+encrypt" + accp + " vs libcrypto CMS", "msgs/s", rate(aSE), rate(libSE), Report.NONE);
        r.row(small + " sign+encrypt" + accp + " vs `openssl speed rsa2048` sign/s", "msgs/s", rate(aSE),
                reference.speedSign(), SMALL_TARGET);
        r.row(small + " decrypt+verify" + accp + " vs `openssl cms` CLI", "msgs/s", rate(aDV), rate(cliDV), Report.NONE);
        r.row(small + " decrypt+verify" + accp + " vs libcrypto CMS", "msgs/s", rate(aDV), rate(libDV), Report.NONE);
        r.row(small + " decrypt+verify" + accp + " vs `openssl speed rsa2048` sign/s", "msgs/s", rate(aDV),
                reference.speedSign(), SMALL_TARGET);
        if (c.accp() == null) {
            r.note("RSA on ACCP: n/a, the Amazon Corretto Crypto Provider is not on the class path or failed its "
                   + "self-test on this platform.");
        } else {
            r.note(String.format(Locale.ROOT, "RSA on ACCP: the same writer and reader built with rsaProvider = %s "
                    + "(signature, key wrap and unwrap, PKCS#1 v1.5 verification); %d and %d messages after %.0f s and "
                    + "%.0f s of warm-up. ACCP vs default providers: %s (sign+encrypt), %s (decrypt+verify).",
                    c.accpProvider().getName(), aSE.operations(), aDV.operations(), Measure.seconds(aSE.warmup()),
                    Measure.seconds(aDV.warmup()), Report.ratio(rate(aSE) / rate(pSE)),
                    Report.ratio(rate(aDV) / rate(pDV))));
        }

        r.note(String.format(Locale.ROOT, "%s: the project timed %d sign+encrypt and %d decrypt+verify messages after "
                + "%.0f s and %.0f s of warm-up (until the JIT compiler had settled: the JVM's other threads under %.0f %% "
                + "of the work's CPU; at most %.0f s); both sides read the entity from a file and write the result to a "
                + "file.", small, pSE.operations(), pDV.operations(), Measure.seconds(pSE.warmup()),
                Measure.seconds(pDV.warmup()), Measure.SETTLED_BACKGROUND_SHARE * 100,
                Measure.seconds(options.maxWarmup())));
        if (c.openssl() != null) {
            r.note(String.format(Locale.ROOT, "`openssl cms` CLI: two processes per message (sign then encrypt, decrypt "
                    + "then verify); one process start costs %.1f ms of wall time here. libcrypto CMS: cms_batch.c makes "
                    + "the calls `openssl cms` makes, in one process with the keys loaded once, as the project does; it "
                    + "reaches %s (sign+encrypt) and %s (decrypt+verify) of `openssl speed rsa2048` sign/s "
                    + "(%s sign/s, %s verify/s on one core).", reference.spawnMillis(),
                    Report.ratio(rate(libSE) / reference.speedSign()), Report.ratio(rate(libDV) / reference.speedSign()),
                    Report.number(reference.speedSign()), Report.number(reference.speedVerify())));
            if (libSE == null) {
                r.note("libcrypto CMS figures unavailable: " + libraryProblem);
            }
        }
    }

    private void largeMessages(Context c) throws Exception {
        String large = Report.size(options.largeBytes());
        step("writing the " + large + " entity");
        Path entity = EntityFiles.write(c.work().resolve("large-entity.eml"), options.largeBytes());
        long entityBytes = Files.size(entity);
        Path transport = c.work().resolve("large-project.eml");

        Measure.Rate pSE = null;
        Measure.Rate pDV = null;
        long pPeakSE = 0;
        long pPeakDV = 0;
        for (int run = 0; run <= options.largeRuns(); run++) {
            boolean warmUp = run == 0;
            step("project: " + large + (warmUp ? " warm-up run" : " run " + run + "/" + options.largeRuns()));
            // outputs go to fresh files on both sides: truncating a big file first costs the file system, not S/MIME
            Files.deleteIfExists(transport);
            HeapPeak.reset();
            Measure.Rate se = Measure.once(Measure.Cpu.SELF, () -> c.project().signAndEncrypt(entity, transport));
            long peakSE = HeapPeak.peakBytes();
            Path keep = warmUp ? c.work().resolve("large-project-roundtrip.eml") : null;
            HeapPeak.reset();
            Measure.Rate dv = Measure.once(Measure.Cpu.SELF, () -> c.project().decryptAndVerify(transport, keep));
            long peakDV = HeapPeak.peakBytes();
            if (warmUp) {
                requireSame(entity, keep, "the project's decrypted " + large + " entity");
                Files.delete(keep);
                continue;
            }
            pSE = faster(pSE, se);
            pDV = faster(pDV, dv);
            pPeakSE = Math.max(pPeakSE, peakSE);
            pPeakDV = Math.max(pPeakDV, peakDV);
        }
        long projectTransportBytes = Files.size(transport);
        detail(c, "project", large + " sign+encrypt (fastest run)", pSE, "MB", entityBytes);
        detail(c, "project", large + " decrypt+verify (fastest run)", pDV, "MB", entityBytes);

        Measure.Rate oSE = null;
        Measure.Rate oDV = null;
        double rssSE = Report.NONE;
        double rssDV = Report.NONE;
        long opensslTransportBytes = -1;
        if (c.openssl() != null) {
            OpenSslSide o = c.openssl();
            Path signed = c.work().resolve("large-openssl-signed.eml");
            Path opensslTransport = c.work().resolve("large-openssl.eml");
            Path decrypted = c.work().resolve("large-openssl-decrypted.eml");
            Path content = c.work().resolve("large-openssl-content.eml");
            long maxRssSE = -1;
            long maxRssDV = -1;
            for (int run = 0; run <= options.largeRuns(); run++) {
                step("openssl cms: " + large + (run == 0 ? " warm-up run" : " run " + run + "/" + options.largeRuns()));
                Files.deleteIfExists(opensslTransport);
                Files.deleteIfExists(content);
                OpenSslSide.Measured sign = o.signMeasured(entity, signed);
                OpenSslSide.Measured encrypt = o.encryptMeasured(signed, opensslTransport);
                Files.delete(signed);
                OpenSslSide.Measured decrypt = o.decryptMeasured(transport, decrypted);
                OpenSslSide.Measured verify = o.verifyMeasured(decrypted, content);
                Files.delete(decrypted);
                if (run == 0) {
                    requireSame(entity, content, "openssl's verified " + large + " content");
                    continue;
                }
                oSE = faster(oSE, sum(sign.time(), encrypt.time()));
                oDV = faster(oDV, sum(decrypt.time(), verify.time()));
                maxRssSE = Math.max(maxRssSE, Math.max(sign.peakRssKib(), encrypt.peakRssKib()));
                maxRssDV = Math.max(maxRssDV, Math.max(decrypt.peakRssKib(), verify.peakRssKib()));
            }
            opensslTransportBytes = Files.size(opensslTransport);
            rssSE = maxRssSE < 0 ? Report.NONE : maxRssSE / 1024.0;
            rssDV = maxRssDV < 0 ? Report.NONE : maxRssDV / 1024.0;
            detail(c, "openssl cms CLI", large + " sign+encrypt (fastest run)", oSE, "MB", entityBytes);
            detail(c, "openssl cms CLI", large + " decrypt+verify (fastest run)", oDV, "MB", entityBytes);
        }

        Report r = c.report();
        r.row(large + " sign+encrypt", "MB/s", mbPerSecond(entityBytes, pSE), mbPerSecond(entityBytes, oSE),
                LARGE_TARGET);
        r.row(large + " decrypt+verify", "MB/s", mbPerSecond(entityBytes, pDV), mbPerSecond(entityBytes, oDV),
                LARGE_TARGET);
        r.row(large + " sign+encrypt peak memory: project heap, openssl RSS", "MiB", pPeakSE / 1048576.0, rssSE,
                Report.NONE);
        r.row(large + " decrypt+verify peak memory: project heap, openssl RSS", "MiB", pPeakDV / 1048576.0, rssDV,
                Report.NONE);
        r.note(String.format(Locale.ROOT, "%s: fastest of %d runs per side after one warm-up run; MB = 10^6 bytes of the "
                + "business entity (%,d bytes); transport message: project %,d bytes%s. openssl: `cms -sign -stream` "
                + "to a file, then `cms -encrypt -stream` of that file; `cms -decrypt` then `cms -verify` of the "
                + "project's transport message.", large, options.largeRuns(), entityBytes, projectTransportBytes,
                opensslTransportBytes < 0 ? "" : String.format(Locale.ROOT, ", openssl %,d bytes", opensslTransportBytes)));
    }

    /** The RSA ceiling of the JVM next to openssl's: no Java S/MIME code can sign faster than its RSA. */
    private void jvmRsa(Context c, Reference reference) throws Exception {
        step("JVM RSA-2048 sign/s (Bouncy Castle, JDK default, ACCP)");
        Duration warm = min(options.warmup(), Duration.ofSeconds(1));
        Duration window = min(options.window(), Duration.ofSeconds(2));
        Measure.Rate bc = JvmRsa.bouncyCastle(c.pki().alice.privateKey(), warm, window);
        Measure.Rate jdk = JvmRsa.jdkDefault(c.pki().alice.privateKey(), warm, window);
        String jdkProvider = JvmRsa.jdkDefaultProviderName(c.pki().alice.privateKey());
        c.report().row("RSA-2048 sign/s: JVM " + jdkProvider + " (project's signing) vs `openssl speed rsa2048`", "ops/s",
                jdk.perSecond(), reference.speedSign(), Report.NONE);
        c.report().row("RSA-2048 sign/s: JVM Bouncy Castle (project's key transport decryption) vs `openssl speed "
                       + "rsa2048`", "ops/s", bc.perSecond(), reference.speedSign(), Report.NONE);
        Measure.Rate accp = c.accpProvider() == null ? null
                : JvmRsa.on(c.accpProvider(), c.pki().alice.privateKey(), warm, window);
        c.report().row("RSA-2048 sign/s: ACCP (rsaProvider) vs `openssl speed rsa2048`", "ops/s", rate(accp),
                reference.speedSign(), Report.NONE);
    }

    private void header(Report report, OpenSslSide openssl, String opensslProblem) {
        report.header("# camel-kvconnect S/MIME benchmark");
        report.header("");
        report.header("Run " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " on " + Runtime.getRuntime().availableProcessors()
                      + " CPU(s); Java " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                      + ", max heap " + (HeapPeak.maxHeapBytes() >> 20) + " MiB; "
                      + (openssl != null ? openssl.version() : "openssl: not available (" + opensslProblem + ")"));
        report.header("");
        report.header("Profile KVCONNECT: multipart/signed (SHA256withRSA, chain included) inside EnvelopedData "
                      + "(AES-256-CBC, RSA PKCS#1 v1.5 key transport to recipient and sender), base64 transport. Same "
                      + "RSA-2048 keys and input files on both sides; both single-threaded: one operation at a time.");
    }

    private static void detail(Context c, String side, String what, Measure.Rate rate, String unit) {
        detail(c, side, what, rate, unit, 1);
    }

    /** A wall-clock line for the notes; {@code unitsPerOperation} bytes per operation for MB figures. */
    private static void detail(Context c, String side, String what, Measure.Rate rate, String unit,
                               long unitsPerOperation) {
        if (rate == null) {
            return;
        }
        double scale = unit.equals("MB") ? unitsPerOperation / 1e6 : 1;
        c.report().detail(String.format(Locale.ROOT, "%s, %s: %s %s/s per CPU second, %s %s/s wall clock (%d in %.2f s "
                + "wall, %s CPU)", side, what, Report.number(rate.perSecond() * scale), unit,
                Report.number(rate.perWallSecond() * scale), unit, rate.operations(), Measure.seconds(rate.wall()),
                rate.cpu() == null ? "n/a" : String.format(Locale.ROOT, "%.2f s", Measure.seconds(rate.cpu()))));
    }

    private void step(String what) {
        progress.println("[benchmark] " + what);
        progress.flush();
    }

    private static double rate(Measure.Rate r) {
        return r == null ? Report.NONE : r.perSecond();
    }

    private static Measure.Rate faster(Measure.Rate best, Measure.Rate candidate) {
        return best == null || candidate.perSecond() > best.perSecond() ? candidate : best;
    }

    /** Two steps of one message (e.g. openssl's sign and encrypt processes) as one operation. */
    private static Measure.Rate sum(Measure.Rate a, Measure.Rate b) {
        Duration cpu = a.cpu() == null || b.cpu() == null ? null : a.cpu().plus(b.cpu());
        return new Measure.Rate(1, a.wall().plus(b.wall()), cpu);
    }

    private static double mbPerSecond(long bytes, Measure.Rate r) {
        return r == null ? Report.NONE : bytes / 1e6 * r.perSecond();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void requireSame(Path expected, Path actual, String what) throws IOException {
        if (Files.mismatch(expected, actual) != -1) {
            throw new IllegalStateException(what + " differs from the input entity: the benchmark would compare "
                                            + "unequal work");
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
