package io.github.camelkvconnect.smime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;

/**
 * Walks the MIME tree of a multipart entity line by line, without building it: counts the parts
 * ({@code maxPartCount}, the entity itself included), the multipart nesting ({@code maxNestingDepth}), every part's
 * header block ({@code maxHeaderBytes}, {@code maxHeaderCount}) and all of them together ({@code maxTotalHeaderBytes}),
 * failing at the first line over a limit. Memory is one
 * line, one header block and one boundary per open level, whatever the message holds (Jakarta Mail parses every part
 * of a level before anything could be counted: a 1.3 MB message of 10,000 parts exhausted a 256 MiB heap).
 * <p>
 * Boundaries are recognised as Jakarta Mail does when it later parses the entity (a line starting with
 * {@code "--" + boundary}, then only dashes or white space; a multipart without boundary parameter takes the first
 * {@code "--"} line of its preamble), a delimiter of an outer level also ending the inner ones. Where the two could
 * differ the walk counts more, never fewer: the limits hold for what the application parses afterwards.
 */
final class MimeStructure {

    private final SmimeLimits limits;
    /** Delimiters ("--" + boundary) of the open multiparts, outermost first; null: to be taken from the preamble. */
    private final List<byte[]> open = new ArrayList<>();
    private int parts = 1;
    /** Bytes of all part header blocks read so far. */
    private long headerBytes;
    /** The header block of the part being read, or null in a body, preamble or epilogue. */
    private HeaderBlockReader headers;
    /** Receives the first top-level part of {@link #extractFirst}, or null. */
    private Extraction extraction;

    private MimeStructure(SmimeLimits limits) {
        this.limits = limits;
    }

    /** Checks the limits over the whole MIME tree of {@code entity} (a multipart). */
    static void check(MimeFiles.Entity entity, SmimeLimits limits) throws IOException, SmimeDecryptionException {
        new MimeStructure(limits).walk(entity);
    }

    /** The top-level part chosen from a multipart, and whether the multipart had other parts besides it. */
    record Chosen(Layer part, boolean others) {
    }

    /**
     * Checks the limits over the MIME tree of {@code entity} (a multipart) and copies the raw bytes (header block and
     * body) of its first top-level part whose content type is one of {@code baseTypes} to {@code target}.
     *
     * @return the part, or null if there is none
     */
    static Chosen extractFirst(MimeFiles.Entity entity, SmimeLimits limits, Layer.Target target, String... baseTypes)
            throws IOException, SmimeDecryptionException {
        MimeStructure walk = new MimeStructure(limits);
        try (OutputStream out = target.open()) {
            walk.extraction = new Extraction(out, baseTypes);
            walk.walk(entity);
        }
        Extraction e = walk.extraction;
        return e.found ? new Chosen(target.layer(), e.topLevelParts > 1) : null;
    }

    private void walk(MimeFiles.Entity entity) throws IOException, SmimeDecryptionException {
        open.add(delimiterOf(entity.contentType()));
        try (LineInputStream in = MimeFiles.rawBody(entity)) {
            boolean atLineStart = true;
            byte[] line;
            while ((line = in.readLine()) != null) {
                boolean startsLine = atLineStart;
                atLineStart = line[line.length - 1] == '\n';
                if (startsLine && !open.isEmpty() && delimiter(MimeFiles.stripNewline(line))) {
                    continue;
                }
                if (headers != null) {
                    headerBytes += line.length;
                    if (headerBytes > limits.maxTotalHeaderBytes()) {
                        throw SmimeLimits.exceeded("The header blocks of the MIME parts are larger than "
                                + limits.maxTotalHeaderBytes() + " bytes together", "maxTotalHeaderBytes");
                    }
                    if (headers.add(line)) {
                        endOfHeaders();
                    }
                } else if (extraction != null) {
                    extraction.bodyLine(line);
                }
            }
        }
    }

    /** Handles a line that may be a delimiter; true if it was one. */
    private boolean delimiter(byte[] line) throws SmimeDecryptionException {
        int level = -1;
        boolean close = false;
        for (int i = open.size() - 1; i >= 0 && level < 0; i--) {
            byte[] delimiter = open.get(i);
            if (delimiter == null) {
                // a multipart without boundary parameter: Jakarta Mail takes the first "--" line of its preamble
                if (headers == null && i == open.size() - 1 && line.length > 2 && line[0] == '-' && line[1] == '-'
                    && !allDashes(line)) {
                    open.set(i, stripTrailingWhitespace(line));
                    level = i;
                }
            } else if (startsWith(line, delimiter) && isDelimiterRest(line, delimiter.length)) {
                level = i;
                close = line.length >= delimiter.length + 2 && line[delimiter.length] == '-'
                        && line[delimiter.length + 1] == '-';
            }
        }
        if (level < 0) {
            return false;
        }
        if (extraction != null) {
            extraction.delimiter(level);
        }
        // an outer delimiter also ends the multiparts opened inside the current part
        while (open.size() > level + 1) {
            open.remove(open.size() - 1);
        }
        headers = null;
        if (close) {
            open.remove(level);
            return true;
        }
        if (++parts > limits.maxPartCount()) {
            throw SmimeLimits.exceeded("More than " + limits.maxPartCount() + " MIME parts", "maxPartCount");
        }
        // the part's depth: the entity is at 0, its parts at 1
        if (open.size() > limits.maxNestingDepth()) {
            throw SmimeLimits.exceeded("MIME nesting deeper than " + limits.maxNestingDepth(), "maxNestingDepth");
        }
        headers = new HeaderBlockReader(limits);
        if (extraction != null) {
            extraction.partStarts(open.size());
        }
        return true;
    }

    private void endOfHeaders() throws IOException {
        InternetHeaders block = headers.headers();
        ContentType type = HeaderBlockReader.contentTypeOrNull(block);
        if (extraction != null) {
            extraction.headersEnd(type, headers.bytes(), open.size());
        }
        headers = null;
        if (type != null && type.match("multipart/*")) {
            // its own parts are counted and their depth checked at their delimiters
            open.add(delimiterOf(type));
        }
    }

    private static byte[] delimiterOf(ContentType type) {
        String boundary = type.getParameter("boundary");
        return boundary == null || boundary.isEmpty() ? null : ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean isDelimiterRest(byte[] line, int from) {
        for (int i = from; i < line.length; i++) {
            byte b = line[i];
            if (b != '-' && b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static boolean allDashes(byte[] line) {
        for (byte b : line) {
            if (b != '-') {
                return false;
            }
        }
        return true;
    }

    private static byte[] stripTrailingWhitespace(byte[] line) {
        int end = line.length;
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        return Arrays.copyOf(line, end);
    }

    private static boolean startsWith(byte[] line, byte[] prefix) {
        return line.length >= prefix.length && Arrays.equals(line, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * Copies one top-level part (level 1) as it passes: its header block once its content type is known, then its
     * body up to, not including, the line break before the next delimiter (that belongs to the delimiter).
     */
    private static final class Extraction {
        private final OutputStream out;
        private final String[] baseTypes;
        private int topLevelParts;
        private boolean found;
        private boolean copying;
        private byte[] pendingNewline;

        Extraction(OutputStream out, String[] baseTypes) {
            this.out = out;
            this.baseTypes = baseTypes;
        }

        void partStarts(int level) {
            if (level == 1) {
                topLevelParts++;
            }
        }

        void headersEnd(ContentType type, byte[] block, int level) throws IOException {
            if (level != 1 || found || type == null) {
                return;
            }
            for (String baseType : baseTypes) {
                if (type.match(baseType)) {
                    found = true;
                    copying = true;
                    out.write(block);
                    out.write(new byte[] { '\r', '\n' });
                    return;
                }
            }
        }

        void bodyLine(byte[] line) throws IOException {
            if (!copying) {
                return;
            }
            byte[] stripped = MimeFiles.stripNewline(line);
            if (pendingNewline != null) {
                out.write(pendingNewline);
            }
            out.write(stripped);
            pendingNewline = Arrays.copyOfRange(line, stripped.length, line.length);
        }

        void delimiter(int level) {
            if (copying && level == 0) {
                // the next top-level delimiter ends the chosen part
                copying = false;
            }
        }
    }
}
