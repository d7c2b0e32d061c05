package io.github.camelkvconnect.smime;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of one layer of a message being read (base64-decoded CMS, decrypted MIME, signed content): a file, or,
 * for small messages, memory. Creating and deleting three owner-only temporary files was the largest cost of reading
 * a 1 KiB message besides RSA (docs/benchmarks.md); a small message's layers are no larger than the message itself.
 */
sealed interface Layer permits Layer.InFile, Layer.InMemory {

    /** A fresh stream over the whole layer, buffered, for one reader thread. */
    LineInputStream open() throws IOException;

    /** Number of bytes in the layer. */
    long size() throws IOException;

    /** A layer stored in a file (the transport message itself or a temporary file). */
    record InFile(Path file) implements Layer {
        @Override
        public LineInputStream open() throws IOException {
            return new LineInputStream(Files.newInputStream(file), 64 * 1024);
        }

        @Override
        public long size() throws IOException {
            return Files.size(file);
        }
    }

    /** A layer held in memory; the array is not copied and must not change. */
    record InMemory(byte[] bytes, int length) implements Layer {
        @Override
        public LineInputStream open() {
            // ByteArrayInputStream locks on every read(); the wrapper reads it in one bulk call
            return new LineInputStream(new ByteArrayInputStream(bytes, 0, length), Math.max(1, Math.min(length, 64 * 1024)));
        }

        @Override
        public long size() {
            return length;
        }
    }

    /** Where a new layer is written; {@link #layer()} after the stream is closed. */
    interface Target {
        OutputStream open() throws IOException;

        Layer layer();
    }

    /** A target in a (temporary) file. */
    static Target file(Path file) {
        return new Target() {
            @Override
            public OutputStream open() throws IOException {
                return new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            }

            @Override
            public Layer layer() {
                return new InFile(file);
            }
        };
    }

    /** A target in memory. */
    static Target memory() {
        return new Target() {
            private final Exposed buffer = new Exposed();

            @Override
            public OutputStream open() {
                buffer.reset();
                return buffer;
            }

            @Override
            public Layer layer() {
                return new InMemory(buffer.array(), buffer.size());
            }
        };
    }

    /** A ByteArrayOutputStream that hands out its array instead of a copy. */
    final class Exposed extends ByteArrayOutputStream {
        Exposed() {
            super(4096);
        }

        byte[] array() {
            return buf;
        }
    }
}
