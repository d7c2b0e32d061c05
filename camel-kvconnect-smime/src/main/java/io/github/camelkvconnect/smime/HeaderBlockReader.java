package io.github.camelkvconnect.smime;

import java.io.ByteArrayOutputStream;

import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.ParseException;

/**
 * Collects one header block line by line under {@code maxHeaderBytes} and {@code maxHeaderCount}: a block over a limit
 * fails at the line that crosses it, so a 100 MiB header costs no more than the limit. Lines come from
 * {@link LineInputStream#readLine()}, which splits very long lines into pieces; only the start of a real line can
 * begin a field or end the block.
 */
final class HeaderBlockReader {

    private final SmimeLimits limits;
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private int count;
    private boolean atLineStart = true;
    private boolean complete;

    HeaderBlockReader(SmimeLimits limits) {
        this.limits = limits;
    }

    /**
     * Adds the next line (or piece of a line) of the block.
     *
     * @return true if it was the empty line that ends the block (not part of the block)
     */
    boolean add(byte[] line) throws SmimeDecryptionException {
        boolean startsLine = atLineStart;
        atLineStart = line.length > 0 && line[line.length - 1] == '\n';
        if (startsLine && MimeFiles.stripNewline(line).length == 0) {
            complete = true;
            return true;
        }
        if (startsLine && line[0] != ' ' && line[0] != '\t' && ++count > limits.maxHeaderCount()) {
            throw SmimeLimits.exceeded("More than " + limits.maxHeaderCount() + " header fields in a header block",
                    "maxHeaderCount");
        }
        if (raw.size() + (long) line.length > limits.maxHeaderBytes()) {
            throw SmimeLimits.exceeded("A header block is larger than " + limits.maxHeaderBytes() + " bytes",
                    "maxHeaderBytes");
        }
        raw.write(line, 0, line.length);
        return false;
    }

    /** True once the empty line ending the block was added. */
    boolean complete() {
        return complete;
    }

    /** The header fields collected (the block so far, if it did not end). */
    InternetHeaders headers() {
        byte[] bytes = raw.toByteArray();
        return MimeFiles.parseHeaders(bytes, 0, bytes.length).headers();
    }

    /** The raw bytes of the block, without its ending empty line. */
    byte[] bytes() {
        return raw.toByteArray();
    }

    /** The Content-Type of the block (text/plain if absent). */
    static ContentType contentType(InternetHeaders headers) throws SmimeDecryptionException {
        String ct = headers.getHeader("Content-Type", null);
        try {
            return new ContentType(ct == null ? "text/plain" : ct);
        } catch (ParseException e) {
            // no cause: the parser's message quotes the header, which may be decrypted content
            throw new SmimeDecryptionException(DecryptionFailure.MALFORMED_MIME,
                    "The Content-Type header cannot be parsed; the sender must fix the message");
        }
    }

    /** Like {@link #contentType(InternetHeaders)}, but null where the header cannot be parsed. */
    static ContentType contentTypeOrNull(InternetHeaders headers) {
        try {
            return contentType(headers);
        } catch (SmimeDecryptionException e) {
            return null;
        }
    }
}
