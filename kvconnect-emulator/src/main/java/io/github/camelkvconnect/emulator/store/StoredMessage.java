package io.github.camelkvconnect.emulator.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A message in a mailbox: its delivery sequence number (which gives the oldest-first order), its Message-ID and
 * listed headers, and its bytes, either in memory or in a file of the data directory.
 */
public final class StoredMessage {

    private final long sequence;
    private final String messageId;
    private final Map<String, String> headers;
    private final long size;
    private final byte[] content;
    private final Path file;

    StoredMessage(long sequence, String messageId, Map<String, String> headers, long size, byte[] content, Path file) {
        this.sequence = sequence;
        this.messageId = messageId;
        this.headers = headers;
        this.size = size;
        this.content = content;
        this.file = file;
    }

    /** @return the delivery sequence number */
    public long sequence() { return sequence; }

    /** @return the Message-ID as in the header, normally with angle brackets */
    public String messageId() { return messageId; }

    /** @return the listed headers, lowercase name → value */
    public Map<String, String> headers() { return headers; }

    /** @return the size in bytes */
    public long size() { return size; }

    /** @return the raw message */
    public InputStream open() throws IOException {
        return content != null ? new ByteArrayInputStream(content) : Files.newInputStream(file);
    }

    /** @return the raw message in memory (for damaged fetches and the admin API; messages are bounded) */
    public byte[] bytes() throws IOException {
        return content != null ? content.clone() : Files.readAllBytes(file);
    }

    Path file() {
        return file;
    }
}
