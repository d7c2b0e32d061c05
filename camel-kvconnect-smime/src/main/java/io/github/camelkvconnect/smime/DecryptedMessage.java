package io.github.camelkvconnect.smime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;

/**
 * A decrypted and verified message. The business entity lives in an owner-only temporary file that is deleted by
 * {@link #close()}: always close it (try-with-resources). Header values are untrusted input.
 */
public final class DecryptedMessage implements AutoCloseable {

    private static final Session SESSION = Session.getInstance(new Properties());

    private final SmimeProfile profile;
    private final InternetHeaders outerHeaders;
    private final InternetHeaders innerHeaders;
    private final Path entityFile;
    private final VerificationResult verification;
    private final int layerCount;
    private final List<Path> tempFiles;
    private final List<EntityStream> openStreams = new ArrayList<>();
    private MimeMessage entity;
    private boolean closed;

    DecryptedMessage(SmimeProfile profile, InternetHeaders outerHeaders, InternetHeaders innerHeaders, Path entityFile,
                     VerificationResult verification, int layerCount, List<Path> tempFiles) {
        this.profile = profile;
        this.outerHeaders = outerHeaders;
        this.innerHeaders = innerHeaders;
        this.entityFile = entityFile;
        this.verification = verification;
        this.layerCount = layerCount;
        this.tempFiles = List.copyOf(tempFiles);
    }

    /** The profile whose algorithm policy accepted the (outermost) envelope. */
    public SmimeProfile profile() {
        return profile;
    }

    /** The verification outcome; never null. */
    public VerificationResult verification() {
        return verification;
    }

    /** How many encryption layers were removed (2 for the gateway-wrapped KV-Connect reference vector). */
    public int layerCount() {
        return layerCount;
    }

    /** Headers of the transport message as received (in clear, unauthenticated). */
    public InternetHeaders outerHeaders() {
        return outerHeaders;
    }

    /**
     * Headers of the innermost message: those of an embedded (gateway-wrapped) message, or the signed inner mail of
     * KIM; equal to {@link #outerHeaders()} for a single KV-Connect layer.
     */
    public InternetHeaders innerHeaders() {
        return innerHeaders;
    }

    /**
     * Routing headers as a map with lower-case names, outer headers completed and overridden by the inner ones;
     * Content-* and MIME-Version left out. The first value of each header counts.
     */
    public Map<String, String> routingHeaders() {
        Map<String, String> result = new LinkedHashMap<>();
        put(result, outerHeaders);
        if (innerHeaders != outerHeaders) {
            put(result, innerHeaders);
        }
        return Collections.unmodifiableMap(result);
    }

    private static void put(Map<String, String> target, InternetHeaders headers) {
        Map<String, String> seen = new LinkedHashMap<>();
        for (Enumeration<Header> e = headers.getAllHeaders(); e.hasMoreElements();) {
            Header h = e.nextElement();
            String name = h.getName().toLowerCase(Locale.ROOT);
            if (!name.startsWith("content-") && !name.equals("mime-version") && !seen.containsKey(name)) {
                seen.put(name, h.getValue() == null ? "" : h.getValue().strip());
            }
        }
        target.putAll(seen);
    }

    /** The owner-only file holding the business entity (headers + body). Deleted by {@link #close()}. */
    public Path entityFile() {
        checkOpen();
        return entityFile;
    }

    /** A new stream over the raw business entity (MIME headers + body). */
    public InputStream openEntityStream() throws IOException {
        checkOpen();
        return Files.newInputStream(entityFile);
    }

    /**
     * The business entity parsed as a MIME part, backed by the temporary file (parts are not loaded into memory).
     * For KV-Connect it is the signed entity (usually {@code multipart/mixed}); for KIM the inner mail.
     */
    public synchronized MimeMessage businessEntity() throws IOException {
        checkOpen();
        if (entity == null) {
            try {
                EntityStream in = new EntityStream(entityFile.toFile());
                openStreams.add(in);
                entity = new MimeMessage(SESSION, in);
            } catch (MessagingException e) {
                throw new IOException("The decrypted business entity cannot be parsed: " + e.getMessage(), e);
            }
        }
        return entity;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The decrypted message was closed and its temporary file deleted");
        }
    }

    /** Closes the file behind {@link #businessEntity()} and deletes the temporary files. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (EntityStream in : openStreams) {
            try {
                in.closeFile();
            } catch (IOException ignore) {
                // the file is deleted below anyway
            }
        }
        for (Path p : tempFiles) {
            TempFiles.deleteQuietly(p);
        }
    }

    /**
     * The stream the entity is parsed from. {@link SharedFileInputStream} closes its file only when it and every
     * sub-stream made from it are closed, but Jakarta Mail never closes the sub-streams it keeps for the message body
     * and its parts: closing the stream alone would keep the deleted file (decrypted content) open until a garbage
     * collection. {@link #closeFile()} closes the file shared by all of them.
     */
    private static final class EntityStream extends SharedFileInputStream {

        EntityStream(java.io.File file) throws IOException {
            super(file);
        }

        void closeFile() throws IOException {
            java.io.RandomAccessFile shared = in;
            try {
                close();
            } finally {
                if (shared != null) {
                    shared.close();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "DecryptedMessage[profile=" + profile + ", layers=" + layerCount + ", verification=" + verification.status() + "]";
    }
}
