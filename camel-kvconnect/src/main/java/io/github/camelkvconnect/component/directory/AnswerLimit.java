package io.github.camelkvconnect.component.directory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import javax.net.SocketFactory;

/**
 * Caps the bytes one directory search reads from its connection. UnboundID's stream reader does not check that an
 * element's parts fit into the element (a value set may claim more bytes than its entry), and every decoded value,
 * however small, costs an object: a few bytes on the wire turn into tens of bytes of heap. Without a cap, a directory
 * that keeps sending small values (malicious, or a man in the middle of {@code ldap://}) could fill the heap within
 * the response timeout. With it, the heap one search can take is a small multiple of the cap.
 * <p>
 * The cap applies to the transport: for LDAPS the TLS records (a little more than the LDAP bytes), for LDAP the LDAP
 * bytes. One instance serves one connection.
 */
final class AnswerLimit {

    /** Room per entry asked for: a KV-Connect entry with two certificates is about 5 KiB. */
    static final int BYTES_PER_RESULT = 32 * 1024;
    /** Room for the search result, referrals and the TLS handshake. */
    static final int BASE_BYTES = 64 * 1024;

    private final long maxBytes;
    private volatile boolean exceeded;

    AnswerLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The cap for a search that asks for at most {@code maxResults} entries. */
    static AnswerLimit forResults(int maxResults) {
        return new AnswerLimit(BASE_BYTES + (long) Math.max(1, maxResults) * BYTES_PER_RESULT);
    }

    long maxBytes() {
        return maxBytes;
    }

    /** True once the connection tried to read past the cap (the read failed). */
    boolean exceeded() {
        return exceeded;
    }

    /** Plain TCP sockets whose input is capped; connects with {@code connectTimeoutMillis}. */
    SocketFactory sockets(int connectTimeoutMillis) {
        return new SocketFactory() {
            @Override
            public Socket createSocket() {
                return new LimitedSocket();
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return connected(null, new InetSocketAddress(host, port));
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
                return connected(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return connected(null, new InetSocketAddress(host, port));
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                    throws IOException {
                return connected(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
            }

            private Socket connected(InetSocketAddress local, InetSocketAddress remote) throws IOException {
                Socket s = new LimitedSocket();
                try {
                    if (local != null) {
                        s.bind(local);
                    }
                    s.connect(remote, connectTimeoutMillis);
                    return s;
                } catch (IOException | RuntimeException e) {
                    s.close();
                    throw e;
                }
            }
        };
    }

    /** A TCP socket whose input stream counts. */
    private final class LimitedSocket extends Socket {
        private InputStream limited;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (limited == null) {
                limited = new LimitedInputStream(super.getInputStream());
            }
            return limited;
        }
    }

    private final class LimitedInputStream extends FilterInputStream {
        private long count;
        private boolean ended;

        LimitedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            notEnded();
            int b = super.read();
            if (b >= 0) {
                counted(1);
            } else {
                ended = true;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            notEnded();
            int n = super.read(b, off, len);
            if (n > 0) {
                counted(n);
            } else if (n < 0) {
                ended = true;
            }
            return n;
        }

        /**
         * The end of the answer is reported once; asking again is an error. UnboundID 7.0.3's attribute decoder asks
         * again and again when a value set claims more bytes than arrived (see docs/kvconnect-component.md); today its
         * buffered stream, closed at the first end, already fails the second read. This makes it fail here as well,
         * whatever stream the SDK puts in between.
         */
        private void notEnded() throws IOException {
            if (ended) {
                throw new IOException("the directory closed the connection in the middle of an answer");
            }
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            counted(skipped);
            return skipped;
        }

        private void counted(long n) throws IOException {
            count += n;
            if (count > maxBytes) {
                exceeded = true;
                throw new IOException("the directory's answer exceeds " + maxBytes + " bytes");
            }
        }
    }
}
