package io.github.camelkvconnect.smime;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.util.SharedFileInputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run in a forked JVM with a small heap by {@link LargeMessageStreamingTest}: signs+encrypts and decrypts+verifies a
 * generated entity of the given size, checks the digest, that the reader's temporary files are owner-only while the
 * result is open, and that none is left after close. Exit code 0 = all good; anything else is logged.
 * Arguments: work directory, payload size in bytes.
 */
public final class LargeMessageMain {

    private static final Logger LOG = LoggerFactory.getLogger(LargeMessageMain.class);

    private LargeMessageMain() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        Path temp = Files.createDirectories(work.resolve("reader-temp"));
        Path entity = work.resolve("entity.mime");
        Path transport = work.resolve("transport.eml");
        byte[] expected = writeEntity(entity, size);

        TestPki pki = TestPki.shared();
        SmimeCredentials alice = pki.user("alice@kv-safenet.de");
        SmimeCredentials bob = pki.user("bob@kv-safenet.de");
        SmimeWriter writer = SmimeWriter.builder().credentials(alice).certificateResolver(TestPki.resolver(bob))
                .trustAnchors(pki.anchors()).build();
        try (SharedFileInputStream in = new SharedFileInputStream(entity.toFile());
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(transport), 1 << 16)) {
            writer.write(new MimeBodyPart(in), TestMessages.headers("alice@kv-safenet.de", "bob@kv-safenet.de"), out);
        }
        Files.delete(entity);
        LOG.info("transport message written: {} bytes", Files.size(transport));

        SmimeReader reader = SmimeReader.builder().credentials(bob).trustAnchors(pki.anchors()).workDirectory(temp).build();
        try (DecryptedMessage m = reader.read(transport)) {
            if (m.verification().status() != VerificationStatus.VALID) {
                fail(2, "verification " + m.verification());
            }
            try (var files = Files.list(temp)) {
                List<Path> list = files.toList();
                if (list.isEmpty()) {
                    fail(3, "no temporary file while the result is open");
                }
                for (Path p : list) {
                    String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                    if (!perms.equals("rw-------")) {
                        fail(4, p + " has permissions " + perms);
                    }
                }
            }
            byte[] actual;
            try (InputStream in = m.openEntityStream()) {
                actual = digest(in);
            }
            if (!Arrays.equals(expected, actual)) {
                fail(5, "digest mismatch: " + HexFormat.of().formatHex(expected) + " != " + HexFormat.of().formatHex(actual));
            }
        }
        try (var files = Files.list(temp)) {
            if (files.findAny().isPresent()) {
                fail(6, "temporary files left after close");
            }
        }
        Files.delete(transport);
        LOG.info("OK: {} bytes signed, encrypted, decrypted and verified with max heap {} MiB", size,
                Runtime.getRuntime().maxMemory() >> 20);
        System.exit(0);
    }

    private static void fail(int code, String message) {
        LOG.error("FAILED: {}", message);
        System.exit(code);
    }

    /** A text/plain entity of about {@code size} bytes (7bit lines), returns its SHA-256. */
    private static byte[] writeEntity(Path file, long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] line = new byte[100];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            byte[] head = "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            out.write(head);
            sha.update(head);
            long seed = 42;
            for (long written = 0; written < size; written += line.length) {
                for (int i = 0; i < 98; i++) {
                    seed = seed * 6364136223846793005L + 1442695040888963407L;
                    line[i] = (byte) ('a' + ((seed >>> 33) % 26));
                }
                line[98] = '\r';
                line[99] = '\n';
                out.write(line);
                sha.update(line);
            }
        }
        return sha.digest();
    }

    private static byte[] digest(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) != -1) {
            sha.update(buf, 0, n);
        }
        return sha.digest();
    }
}
