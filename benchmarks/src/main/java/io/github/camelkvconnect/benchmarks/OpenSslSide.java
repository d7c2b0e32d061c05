package io.github.camelkvconnect.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The openssl side: the same operations as the project with {@code openssl cms} on the same files and keys, one
 * process per step (OpenSSL 3 has no batch or interactive mode), run one after the other, so openssl also uses one
 * core at a time.
 * <ul>
 * <li>sign: {@code cms -sign -binary -md sha256 -signer alice.pem -inkey alice.key -certfile userca.pem}
 * (multipart/signed, detached SHA256withRSA, chain included: what the KVCONNECT profile writes)</li>
 * <li>encrypt: {@code cms -encrypt -binary -aes256 bob.pem alice.pem} (EnvelopedData, AES-256-CBC, RSA PKCS#1 v1.5
 * key transport to the recipient and the sender)</li>
 * <li>decrypt: {@code cms -decrypt -recip bob.pem -inkey bob.key}; verify: {@code cms -verify -CAfile root.pem
 * -purpose smimesign}</li>
 * </ul>
 * For large bodies sign and encrypt add {@code -stream}, so openssl streams as the project does. {@code -binary} keeps
 * openssl from converting line endings when it signs and encrypts (the entity is canonical CRLF MIME already, and the
 * project does not convert either). Verification runs without it, the normal call for a text MIME entity: OpenSSL 3.0
 * with {@code -binary} fails to verify a correct multipart/signed whose content has CRLF lines.
 */
final class OpenSslSide {

    private static final Pattern SPEED = Pattern.compile("^\\+F2:\\d+:2048:([0-9.]+):([0-9.]+)", Pattern.MULTILINE);

    private final String executable;
    private final String version;
    private final Path keys;
    /** GNU time, to learn openssl's peak resident memory; null if not installed. */
    private final String gnuTime;

    private OpenSslSide(String executable, String version, Path keys, String gnuTime) {
        this.executable = executable;
        this.version = version;
        this.keys = keys;
        this.gnuTime = gnuTime;
    }

    /**
     * Finds openssl; throws {@link IllegalStateException} with a message for the user if it cannot be run.
     */
    static OpenSslSide locate(String executable, Path keys) {
        String version;
        try {
            Result r = exec(List.of(executable, "version"), keys);
            if (r.exit != 0) {
                throw new IllegalStateException("'" + executable + " version' failed (exit " + r.exit + "): " + r.output);
            }
            version = r.output.strip();
        } catch (IOException e) {
            throw new IllegalStateException("openssl cannot be started (" + e.getMessage() + "); install it (e.g. "
                                            + "apt-get install openssl) or pass --openssl /path/to/openssl", e);
        }
        String time = Files.isExecutable(Path.of("/usr/bin/time")) ? "/usr/bin/time" : null;
        return new OpenSslSide(executable, version, keys, time);
    }

    String version() {
        return version;
    }

    /** {@code openssl speed rsa2048}: private-key operations (sign) and public-key operations (verify) per second. */
    double[] speedRsa2048(int seconds) throws IOException {
        Result r = exec(List.of(executable, "speed", "-mr", "-seconds", Integer.toString(seconds), "rsa2048"), keys);
        Matcher m = SPEED.matcher(r.output);
        if (r.exit != 0 || !m.find()) {
            throw new IllegalStateException("openssl speed rsa2048 failed or printed no result: " + r.output);
        }
        return new double[] { Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)) };
    }

    /** Starts {@code openssl version}: the fixed cost of one openssl process (spawn, library and config load). */
    void processStart() throws IOException {
        check(exec(List.of(executable, "version"), keys), "version");
    }

    void sign(Path entity, Path signed, boolean stream) throws IOException {
        run(signArgs(entity, signed, stream));
    }

    void encrypt(Path signed, Path transport, boolean stream) throws IOException {
        run(encryptArgs(signed, transport, stream));
    }

    void decrypt(Path transport, Path decrypted) throws IOException {
        run(decryptArgs(transport, decrypted));
    }

    void verify(Path decrypted, Path content) throws IOException {
        run(verifyArgs(decrypted, content));
    }

    /** Wall and CPU time and peak resident memory (KiB, -1 if unknown) of one command. */
    record Measured(Measure.Rate time, long peakRssKib) {
    }

    Measured signMeasured(Path entity, Path signed) throws IOException {
        return measured(signArgs(entity, signed, true));
    }

    Measured encryptMeasured(Path signed, Path transport) throws IOException {
        return measured(encryptArgs(signed, transport, true));
    }

    Measured decryptMeasured(Path transport, Path decrypted) throws IOException {
        return measured(decryptArgs(transport, decrypted));
    }

    Measured verifyMeasured(Path decrypted, Path content) throws IOException {
        return measured(verifyArgs(decrypted, content));
    }

    private List<String> signArgs(Path entity, Path signed, boolean stream) {
        List<String> a = new ArrayList<>(List.of("cms", "-sign", "-binary", "-md", "sha256", "-in", entity.toString(),
                "-signer", "alice.pem", "-inkey", "alice.key", "-certfile", "userca.pem", "-out", signed.toString()));
        if (stream) {
            a.add(2, "-stream");
        }
        return a;
    }

    private List<String> encryptArgs(Path signed, Path transport, boolean stream) {
        List<String> a = new ArrayList<>(List.of("cms", "-encrypt", "-binary", "-aes256", "-in", signed.toString(),
                "-out", transport.toString(), "-from", BenchmarkPki.SENDER, "-to", BenchmarkPki.RECIPIENT,
                "-subject", "Arztbrief", "bob.pem", "alice.pem"));
        if (stream) {
            a.add(2, "-stream");
        }
        return a;
    }

    private List<String> decryptArgs(Path transport, Path decrypted) {
        return List.of("cms", "-decrypt", "-in", transport.toString(), "-recip", "bob.pem", "-inkey", "bob.key",
                "-out", decrypted.toString());
    }

    private List<String> verifyArgs(Path decrypted, Path content) {
        return List.of("cms", "-verify", "-in", decrypted.toString(), "-CAfile", "root.pem", "-purpose",
                "smimesign", "-out", content.toString());
    }

    private void run(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable);
        cmd.addAll(args);
        check(exec(cmd, keys), args.get(0) + " " + args.get(1));
    }

    private Measured measured(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        Path rss = null;
        if (gnuTime != null) {
            rss = Files.createTempFile(keys, "rss-", ".txt");
            cmd.addAll(List.of(gnuTime, "-f", "%M", "-o", rss.toString()));
        }
        cmd.add(executable);
        cmd.addAll(args);
        long cpuStart = Measure.Cpu.CHILDREN.nanos();
        long start = System.nanoTime();
        Result r = exec(cmd, keys);
        Measure.Rate time = new Measure.Rate(1, Duration.ofNanos(System.nanoTime() - start),
                Measure.cpuSince(Measure.Cpu.CHILDREN, cpuStart));
        check(r, args.get(0) + " " + args.get(1));
        long kib = -1;
        if (rss != null) {
            String text = Files.readString(rss, StandardCharsets.US_ASCII).strip();
            Files.delete(rss);
            String[] lines = text.split("\\R");
            kib = Long.parseLong(lines[lines.length - 1].strip());
        }
        return new Measured(time, kib);
    }

    private static void check(Result r, String what) {
        if (r.exit != 0) {
            throw new IllegalStateException("openssl " + what + " failed (exit " + r.exit + "): " + r.output);
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result exec(List<String> cmd, Path directory) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            return new Result(p.waitFor(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while openssl was running", e);
        }
    }
}
