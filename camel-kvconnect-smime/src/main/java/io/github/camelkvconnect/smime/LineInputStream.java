package io.github.camelkvconnect.smime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A buffered stream for one reader thread that also splits lines, without locks. {@link java.io.BufferedInputStream}
 * takes a lock on every {@code read()} since JDK 15; the base64 decoder and the line splitter of a message call
 * {@code read()} once per byte, which made locking three quarters of the decrypt+verify time of a large message
 * (docs/benchmarks.md). Lines are cut straight out of the buffer instead of one byte at a time.
 */
final class LineInputStream extends InputStream {

    /** Longest line returned in one piece; longer lines come in pieces of this size (bounded memory). */
    static final int MAX_LINE = 64 * 1024;

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;

    LineInputStream(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[bufferSize];
    }

    /** Refills the buffer if it is empty; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        int n = in.read(buf, 0, buf.length);
        pos = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }

    @Override
    public int read() throws IOException {
        return fill() ? buf[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (pos >= limit && len >= buf.length) {
            // large reads bypass the buffer: no extra copy
            return in.read(b, off, len);
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        int buffered = limit - pos;
        if (buffered > 0) {
            int s = (int) Math.min(buffered, n);
            pos += s;
            return s;
        }
        return in.skip(n);
    }

    @Override
    public int available() throws IOException {
        return (limit - pos) + in.available();
    }

    /**
     * One line including its line break (LF or CRLF kept as they are), or null at the end; a line longer than
     * {@link #MAX_LINE} is returned in pieces of that size.
     */
    byte[] readLine() throws IOException {
        byte[] line = null;
        int length = 0;
        while (fill()) {
            int end = pos;
            int max = Math.min(limit, pos + (MAX_LINE - length));
            while (end < max && buf[end] != '\n') {
                end++;
            }
            boolean complete = end < max; // stopped at LF
            if (complete) {
                end++;
            }
            int n = end - pos;
            if (line == null) {
                line = Arrays.copyOfRange(buf, pos, end);
            } else {
                line = Arrays.copyOf(line, length + n);
                System.arraycopy(buf, pos, line, length, n);
            }
            length += n;
            pos = end;
            if (complete || length >= MAX_LINE) {
                return line;
            }
        }
        return line;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
