package io.github.camelkvconnect.emulator.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

import io.github.camelkvconnect.emulator.store.MessageContent;
import io.github.camelkvconnect.emulator.store.Spool;

/**
 * One HTTP request and its response: decoded path segments, query parameters, a size-bounded body and response
 * helpers. Path segments are percent-decoded individually, so an encoded {@code /} ({@code %2F}) stays inside its
 * segment.
 */
public final class HttpCall {

    /** How much of an oversize body is still read before answering 413. */
    private static final long DRAIN_LIMIT = 4L * 1024 * 1024;

    /** XML content type of all structured responses. */
    public static final String XML = "application/xml; charset=UTF-8";

    private final HttpExchange exchange;
    private final long maxBody;
    private List<String> segments;
    private Map<String, String> query;
    private boolean responded;
    private boolean dropResponse;

    HttpCall(HttpExchange exchange, long maxBody) {
        this.exchange = exchange;
        this.maxBody = maxBody;
    }

    /** @return the HTTP method, upper case */
    public String method() {
        return exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
    }

    /** @return the decoded path segments, without empty ones */
    public List<String> segments() {
        if (segments == null) {
            segments = decodeSegments(exchange.getRequestURI().getRawPath());
        }
        return segments;
    }

    /** @return the query parameter or null */
    public String query(String name) {
        if (query == null) {
            query = decodeQuery(exchange.getRequestURI().getRawQuery());
        }
        return query.get(name);
    }

    /** @return the request header or null */
    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** @return whether a response has been started */
    public boolean responded() {
        return responded;
    }

    /**
     * Reads the whole body, refusing more than the configured maximum with 413 before it is buffered.
     *
     * @return the body
     */
    public byte[] body() {
        String length = header("Content-Length");
        try (InputStream in = exchange.getRequestBody()) {
            if (length != null) {
                long declared;
                try {
                    declared = Long.parseLong(length.trim());
                } catch (NumberFormatException e) {
                    throw new HttpProblem(400, "Invalid Content-Length header");
                }
                if (declared > maxBody) {
                    throw tooLarge(in);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > maxBody) {
                    throw tooLarge(in);
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new HttpProblem(400, "The request body could not be read: " + e.getMessage());
        }
    }

    /**
     * Reads the whole body like {@link #body()}, but spools a body larger than {@link Spool#IN_MEMORY_LIMIT} to a
     * file instead of the heap. The caller closes the returned content.
     *
     * @param spool where to spool
     * @return the body
     */
    public MessageContent bodyContent(Spool spool) {
        String length = header("Content-Length");
        Path file = null;
        OutputStream fileOut = null;
        try (InputStream in = exchange.getRequestBody()) {
            if (length != null) {
                long declared;
                try {
                    declared = Long.parseLong(length.trim());
                } catch (NumberFormatException e) {
                    throw new HttpProblem(400, "Invalid Content-Length header");
                }
                if (declared > maxBody) {
                    throw tooLarge(in);
                }
            }
            ByteArrayOutputStream memory = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > maxBody) {
                    throw tooLarge(in);
                }
                if (fileOut == null && total > Spool.IN_MEMORY_LIMIT) {
                    file = spool.newFile();
                    fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
                    memory.writeTo(fileOut);
                    memory = null;
                }
                if (fileOut != null) {
                    fileOut.write(buffer, 0, n);
                } else {
                    memory.write(buffer, 0, n);
                }
            }
            if (fileOut != null) {
                fileOut.close();
                fileOut = null;
                MessageContent spooled = MessageContent.spooled(file, total);
                file = null;
                return spooled;
            }
            return MessageContent.of(memory.toByteArray());
        } catch (IOException e) {
            throw new HttpProblem(400, "The request body could not be read: " + e.getMessage());
        } finally {
            closeQuietly(fileOut);
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // removed with the spool directory
                }
            }
        }
    }

    private static void closeQuietly(OutputStream out) {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // the body is discarded anyway
            }
        }
    }

    /**
     * Reads (and drops) up to {@link #DRAIN_LIMIT} more bytes so a client that is still sending can read the 413
     * instead of a connection reset; the connection is closed after the answer.
     */
    private HttpProblem tooLarge(InputStream in) throws IOException {
        long skipped = 0;
        byte[] sink = new byte[16 * 1024];
        int n;
        while (skipped < DRAIN_LIMIT && (n = in.read(sink)) > 0) {
            skipped += n;
        }
        return new HttpProblem(413, "The request body exceeds the maximum of " + maxBody
                + " bytes accepted by this server; send a smaller message", java.util.Map.of("Connection", "close"));
    }

    /** @return the body as UTF-8 text */
    public String bodyText() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /** Sets a response header (before responding). */
    public void responseHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    /** Responds with an XML document. */
    public void xml(int status, Xml document) {
        bytes(status, XML, document.toXml().getBytes(StandardCharsets.UTF_8));
    }

    /** Responds with plain text. */
    public void text(int status, String text) {
        bytes(status, "text/plain; charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** Responds with a body of known length. */
    public void bytes(int status, String contentType, byte[] body) {
        start(status, contentType, body.length == 0 ? -1 : body.length);
        write(body);
    }

    /** Responds with no body. */
    public void empty(int status) {
        start(status, null, -1);
    }

    /**
     * Starts a response; write the body with {@link #write(byte[])} or {@link #stream()}.
     *
     * @param length the body length, 0 for chunked, -1 for none
     */
    public void start(int status, String contentType, long length) {
        if (dropResponse) {
            // Fault: the work is done, the answer is lost. Unwind the handler; the front end closes the connection.
            throw new ResponseDropped();
        }
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        responded = true;
        try {
            exchange.sendResponseHeaders(status, length);
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }

    /**
     * @return the response body stream (after {@link #start}); a failure to write to the client (it timed out, reset or
     *         closed the connection) is thrown as {@link ClientGoneException}, not as an I/O error of the handler
     */
    public OutputStream stream() {
        return new ClientStream(exchange.getResponseBody());
    }

    /** The response body stream: the client's failures are told apart from the handler's own (e.g. reading a file). */
    private static final class ClientStream extends java.io.FilterOutputStream {
        ClientStream(OutputStream client) {
            super(client);
        }

        @Override
        public void write(int b) {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new ClientGoneException(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new ClientGoneException(e);
            }
        }

        @Override
        public void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new ClientGoneException(e);
            }
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new ClientGoneException(e);
            }
        }
    }

    private void write(byte[] body) {
        if (body.length == 0) {
            return;
        }
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }

    /** Makes the next {@link #start} drop the answer instead of sending it. */
    void dropResponse() {
        dropResponse = true;
    }

    /** Signals that the answer was dropped on purpose. */
    static final class ResponseDropped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ResponseDropped() {
            super("response dropped (emulated fault)", null, false, false);
        }
    }

    /** Drops the connection without any response (the "connection closed" fault). */
    void abortConnection() {
        responded = true;
        exchange.close();
    }

    /**
     * The client closed or reset the connection while we answered (typically its timeout expired): normal operation
     * for a server, logged at DEBUG without a stack trace.
     */
    static final class ClientGoneException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClientGoneException(IOException cause) {
            super(cause);
        }
    }

    private static List<String> decodeSegments(String rawPath) {
        List<String> out = new ArrayList<>();
        if (rawPath == null) {
            return out;
        }
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                out.add(decode(raw));
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static Map<String, String> decodeQuery(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new HttpProblem(400, "Malformed percent-encoding in the query string");
            }
        }
        return out;
    }

    /** Percent-decodes a path segment; unlike form decoding, '+' stays '+'. */
    static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, "Malformed percent-encoding in path segment '" + segment + "'");
        }
    }
}
