package io.github.camelkvconnect.smime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;

/**
 * Byte-exact MIME handling on the layers of a message (files, or memory for small messages): header blocks, bodies,
 * multipart/signed splitting. Never loads a file-backed body whole.
 */
final class MimeFiles {

    private MimeFiles() {
    }

    /** The header block of an entity stored in a layer, its content type and where its body starts. */
    record Entity(Layer source, InternetHeaders headers, ContentType contentType, long bodyOffset) {

        boolean is(String baseType) {
            return contentType.match(baseType);
        }

        boolean isPkcs7Mime() {
            return is("application/pkcs7-mime") || is("application/x-pkcs7-mime");
        }

        String transferEncoding() {
            String cte = headers.getHeader("Content-Transfer-Encoding", null);
            return cte == null ? "7bit" : cte.strip().toLowerCase(Locale.ROOT);
        }
    }

    static Entity read(Path file, SmimeLimits limits) throws IOException, SmimeDecryptionException {
        return read(new Layer.InFile(file), limits);
    }

    static Entity read(Layer source, SmimeLimits limits) throws IOException, SmimeDecryptionException {
        HeaderBlockReader block = new HeaderBlockReader(limits);
        long offset = 0;
        try (LineInputStream in = source.open()) {
            byte[] line;
            while ((line = in.readLine()) != null) {
                offset += line.length;
                if (block.add(line)) {
                    break;
                }
            }
        }
        InternetHeaders headers = block.headers();
        return new Entity(source, headers, HeaderBlockReader.contentType(headers), offset);
    }

    /**
     * The raw body of an entity (no transfer decoding). Unsynchronized buffering: the base64 decoder and the line
     * splitter read it byte by byte.
     */
    static LineInputStream rawBody(Entity entity) throws IOException {
        LineInputStream in = entity.source().open();
        in.skipNBytes(entity.bodyOffset());
        return in;
    }

    /**
     * Copies the decoded body (itself a complete MIME entity, e.g. message/rfc822, or DER) into a new layer. A base64
     * body the decoder refuses (one character left over: cut off in transit; a bad ending) is damaged input, not an I/O
     * failure: it raises {@link SmimeDecryptionException}, so a caller sets the message aside instead of retrying it as
     * if the disk had failed. I/O errors of the layer itself stay {@link IOException}s.
     */
    static Layer copyBody(Entity entity, Layer.Target target) throws IOException, SmimeDecryptionException {
        boolean base64 = entity.transferEncoding().equals("base64");
        try (LineInputStream raw = rawBody(entity); OutputStream out = target.open()) {
            InputStream in = base64 ? Base64.getMimeDecoder().wrap(new SourceErrors(raw)) : raw;
            byte[] buffer = new byte[64 * 1024];
            int n;
            while (true) {
                try {
                    n = in.read(buffer);
                } catch (SourceErrors.Failure e) {
                    throw e.io();
                } catch (IOException e) {
                    if (!base64) {
                        throw e;
                    }
                    boolean cut = e.getMessage() != null && e.getMessage().contains("dangling");
                    throw new SmimeDecryptionException(cut ? DecryptionFailure.TRUNCATED : DecryptionFailure.CORRUPT_DATA,
                            "The base64 body is " + (cut ? "incomplete" : "damaged") + " (" + e.getMessage()
                            + "); ask the sender to send the message again", e);
                }
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
            }
        }
        return target.layer();
    }

    /** Marks I/O errors of the stream under the base64 decoder, to tell them from the decoder's format errors. */
    private static final class SourceErrors extends java.io.FilterInputStream {
        SourceErrors(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw new Failure(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw new Failure(e);
            }
        }

        static final class Failure extends IOException {
            private static final long serialVersionUID = 1L;

            Failure(IOException cause) {
                super(cause);
            }

            IOException io() {
                return (IOException) getCause();
            }
        }
    }

    /** True if the (non-base64) body starts with a header line: a complete message embedded as a 7bit part. */
    static boolean bodyIsMessage(Entity entity) throws IOException {
        try (LineInputStream in = rawBody(entity)) {
            byte[] line = in.readLine();
            return line != null && new String(line, StandardCharsets.ISO_8859_1).matches("(?s)[A-Za-z0-9-]+:.*");
        }
    }

    /**
     * The decoded signature of a multipart/signed (null if it is not well-formed ASN.1) and the layer with the signed
     * part's exact bytes.
     */
    record SignedParts(Layer content, byte[] signature) {
    }

    /**
     * Splits a multipart/signed entity: the signed part's raw bytes (without the CRLF that belongs to the delimiter) go
     * to {@code contentTarget}; the signature part (small) is decoded in memory under the ASN.1 limits
     * ({@link SignaturePartDecoder}).
     */
    static SignedParts splitSigned(Entity entity, Layer.Target contentTarget, SmimeLimits limits)
            throws IOException, SmimeDecryptionException {
        String boundary = entity.contentType().getParameter("boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw new SmimeDecryptionException(DecryptionFailure.MALFORMED_MIME, "multipart/signed without boundary");
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        SignaturePartDecoder signaturePart = new SignaturePartDecoder(limits);
        int part = 0; // 0 preamble, 1 signed content, 2 signature, 3+ unexpected, -1 epilogue
        try (LineInputStream in = rawBody(entity);
             OutputStream contentOut = contentTarget.open()) {
            byte[] pendingNewline = null;
            boolean atLineStart = true;
            byte[] line;
            while ((line = in.readLine()) != null) {
                boolean startsLine = atLineStart;
                atLineStart = line[line.length - 1] == '\n';
                byte[] stripped = stripNewline(line);
                if (startsLine && part >= 0 && startsWith(stripped, delimiter) && isDelimiterLine(stripped, delimiter.length)) {
                    boolean close = stripped.length >= delimiter.length + 2 && stripped[delimiter.length] == '-'
                                    && stripped[delimiter.length + 1] == '-';
                    part = close ? -1 : part + 1;
                    pendingNewline = null;
                    continue;
                }
                if (part == 1) {
                    if (pendingNewline != null) {
                        contentOut.write(pendingNewline);
                    }
                    contentOut.write(stripped);
                    pendingNewline = Arrays.copyOfRange(line, stripped.length, line.length);
                } else if (part == 2) {
                    signaturePart.line(line);
                } else if (part > 2) {
                    throw new SmimeDecryptionException(DecryptionFailure.MALFORMED_MIME,
                            "multipart/signed with more than two parts");
                }
            }
        }
        if (part != -1 && part < 2) {
            throw new SmimeDecryptionException(DecryptionFailure.MALFORMED_MIME,
                    "multipart/signed without a complete signature part (truncated or malformed)");
        }
        return new SignedParts(contentTarget.layer(), signaturePart.finish());
    }

    /** A parsed header block and the offset just after it (after its empty line, or the end). */
    record HeaderBlock(InternetHeaders headers, int end) {
    }

    /**
     * Parses a header block exactly as {@code new InternetHeaders(InputStream)} does: lines end with CRLF, LF, CR or
     * CR CR LF (Jakarta Mail's LineInputStream), bytes are ISO-8859-1, folded lines are joined with CRLF, the block
     * ends at the first empty line. Jakarta Mail 2.1 looks up its StreamProvider with a ServiceLoader scan of the whole
     * class path on every such call (jakartaee/mail-api#699); that scan was a quarter of reading a 1 KiB message.
     */
    static HeaderBlock parseHeaders(byte[] bytes, int from, int to) {
        InternetHeaders headers = new InternetHeaders();
        String previous = null;
        StringBuilder folded = new StringBuilder();
        boolean first = true;
        int pos = from;
        while (pos < to) {
            int end = pos;
            while (end < to && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            String line = new String(bytes, pos, end - pos, StandardCharsets.ISO_8859_1);
            if (end < to && bytes[end] == '\r') {
                end += end + 1 < to && bytes[end + 1] == '\n' ? 2
                        : end + 2 < to && bytes[end + 1] == '\r' && bytes[end + 2] == '\n' ? 3 : 1;
            } else if (end < to) {
                end++;
            }
            pos = end;
            if (line.isEmpty()) {
                break;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                // continuation of the previous field
                if (previous != null) {
                    folded.append(previous);
                    previous = null;
                }
                if (first) {
                    String trimmed = line.trim();
                    if (!trimmed.isEmpty()) {
                        folded.append(trimmed);
                    }
                } else {
                    if (folded.length() > 0) {
                        folded.append("\r\n");
                    }
                    folded.append(line);
                }
            } else {
                flush(headers, previous, folded);
                previous = line;
            }
            first = false;
        }
        flush(headers, previous, folded);
        return new HeaderBlock(headers, pos);
    }

    private static void flush(InternetHeaders headers, String previous, StringBuilder folded) {
        if (previous != null) {
            headers.addHeaderLine(previous);
        } else if (folded.length() > 0) {
            headers.addHeaderLine(folded.toString());
            folded.setLength(0);
        }
    }

    private static boolean isDelimiterLine(byte[] line, int from) {
        for (int i = from; i < line.length; i++) {
            byte b = line[i];
            if (b != '-' && b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] line, byte[] prefix) {
        return line.length >= prefix.length && Arrays.equals(line, 0, prefix.length, prefix, 0, prefix.length);
    }

    static byte[] stripNewline(byte[] line) {
        int end = line.length;
        if (end > 0 && line[end - 1] == '\n') {
            end--;
        }
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        return end == line.length ? line : Arrays.copyOf(line, end);
    }
}
