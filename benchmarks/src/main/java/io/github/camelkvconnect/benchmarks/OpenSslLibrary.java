package io.github.camelkvconnect.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * OpenSSL's CMS without process starts: {@code cms_batch.c} (a resource of this module) makes the calls {@code openssl
 * cms} makes, in a loop in one process with the keys loaded once. It is compiled at benchmark start with the system's
 * C compiler against the system's libcrypto (the library of the openssl command); without a compiler or the OpenSSL
 * headers the figures are reported as unavailable, with the reason.
 */
final class OpenSslLibrary {

    private final Path executable;
    private final Path keys;

    private OpenSslLibrary(Path executable, Path keys) {
        this.executable = executable;
        this.keys = keys;
    }

    /** Compiles the harness into {@code directory}; throws {@link IllegalStateException} saying why it cannot. */
    static OpenSslLibrary compile(Path directory, Path keys) throws IOException {
        Path source = directory.resolve("cms_batch.c");
        try (InputStream in = OpenSslLibrary.class.getResourceAsStream("cms_batch.c")) {
            if (in == null) {
                throw new IllegalStateException("cms_batch.c is missing from the benchmark jar");
            }
            Files.copy(in, source);
        }
        Path binary = directory.resolve("cms_batch");
        String problem = null;
        for (String cc : List.of("cc", "gcc", "clang")) {
            try {
                Process p = new ProcessBuilder(cc, "-O2", "-o", binary.toString(), source.toString(), "-lcrypto")
                        .redirectErrorStream(true).start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() == 0) {
                    return new OpenSslLibrary(binary, keys);
                }
                problem = cc + " cannot build it against libcrypto (install the OpenSSL headers, e.g. libssl-dev or "
                          + "openssl-devel): " + firstLine(output);
                break;
            } catch (IOException e) {
                problem = "no C compiler (cc, gcc or clang) on the PATH";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while compiling cms_batch.c", e);
            }
        }
        throw new IllegalStateException(problem);
    }

    /** Messages per second of {@code -sign} + {@code -encrypt} of {@code entity}. */
    Measure.Rate signAndEncrypt(Duration warmup, Duration window, Path entity, Path out) throws IOException {
        return run("sign-encrypt", warmup, window, entity, out, "alice.pem", "alice.key", "userca.pem", "bob.pem",
                "alice.pem");
    }

    /** Messages per second of {@code -decrypt} + {@code -verify} of {@code transport}. */
    Measure.Rate decryptAndVerify(Duration warmup, Duration window, Path transport, Path out) throws IOException {
        return run("decrypt-verify", warmup, window, transport, out, "bob.pem", "bob.key", "root.pem");
    }

    private Measure.Rate run(String mode, Duration warmup, Duration window, Path in, Path out, String... pems)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(executable.toString(), mode, seconds(warmup), seconds(window),
                in.toAbsolutePath().toString(), out.toAbsolutePath().toString()));
        cmd.addAll(List.of(pems));
        Process p = new ProcessBuilder(cmd).directory(keys.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit;
        try {
            exit = p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while cms_batch was running", e);
        }
        String[] fields = output.strip().split("\\s+");
        if (exit != 0 || fields.length < 3) {
            throw new IllegalStateException("cms_batch " + mode + " failed (exit " + exit + "): " + output);
        }
        long count = Long.parseLong(fields[0]);
        Duration wall = Duration.ofNanos((long) (Double.parseDouble(fields[1]) * 1e9));
        Duration cpu = Duration.ofNanos((long) (Double.parseDouble(fields[2]) * 1e9));
        return new Measure.Rate(count, wall, cpu.isZero() ? null : cpu);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
