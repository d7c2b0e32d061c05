package io.github.camelkvconnect.emulator.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of a received message: small ones in memory, large ones spooled to a file so that big messages do not
 * sit in the heap. {@link #close()} removes a spool file.
 */
public final class MessageContent implements AutoCloseable {

    private final byte[] bytes;
    private final Path file;
    private final long size;

    private MessageContent(byte[] bytes, Path file, long size) {
        this.bytes = bytes;
        this.file = file;
        this.size = size;
    }

    /** @param bytes the message @return content held in memory */
    public static MessageContent of(byte[] bytes) {
        return new MessageContent(bytes, null, bytes.length);
    }

    /**
     * @param file the spool file (owned by the content from now on)
     * @param size its size
     * @return content backed by the file
     */
    public static MessageContent spooled(Path file, long size) {
        return new MessageContent(null, file, size);
    }

    /** @return the size in bytes */
    public long size() {
        return size;
    }

    /**
     * @return a stream over the bytes
     * @throws IOException if the spool file cannot be read
     */
    public InputStream open() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    /** @return the bytes if held in memory, else null */
    byte[] inMemory() {
        return bytes;
    }

    /** Deletes the spool file, if any. */
    @Override
    public void close() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover spool file is removed with the spool directory; nothing is lost.
            }
        }
    }
}
