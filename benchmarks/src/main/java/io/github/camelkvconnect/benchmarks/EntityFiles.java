package io.github.camelkvconnect.benchmarks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the business MIME entities both sides get as input: a text/plain part whose body has exactly the requested
 * number of bytes (pseudo-random letters in CRLF lines of 78 characters, deterministic, so every run signs the same
 * bytes). Both sides read the very same file.
 */
final class EntityFiles {

    private static final byte[] HEADERS = ("Content-Type: text/plain; charset=us-ascii\r\n"
                                           + "Content-Transfer-Encoding: 7bit\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final int LINE = 78;

    private EntityFiles() {
    }

    /** Writes the entity with a body of {@code bodyBytes} bytes; returns the file. */
    static Path write(Path file, long bodyBytes) throws IOException {
        byte[] line = new byte[LINE + 2];
        long seed = 0x5DEECE66DL;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(HEADERS);
            long left = bodyBytes;
            while (left > 0) {
                for (int i = 0; i < LINE; i++) {
                    seed = seed * 6364136223846793005L + 1442695040888963407L;
                    line[i] = (byte) ('a' + ((seed >>> 33) % 26));
                }
                line[LINE] = '\r';
                line[LINE + 1] = '\n';
                int n = (int) Math.min(left, line.length);
                if (n < line.length && n >= 2) {
                    // keep the last line CRLF-terminated, as a canonical MIME body is
                    line[n - 2] = '\r';
                    line[n - 1] = '\n';
                }
                out.write(line, 0, n);
                left -= n;
            }
        }
        return file;
    }
}
