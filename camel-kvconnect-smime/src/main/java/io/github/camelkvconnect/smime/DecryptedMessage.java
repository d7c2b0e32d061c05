package io.github.camelkvconnect.smime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import jakarta.mail.util.SharedByteArrayInputStream;
import jakarta.mail.util.SharedFileInputStream;

/**
 * A decrypted and verified message. The business entity lives in an owner-only temporary file, or, for a message read
 * in memory (see {@link SmimeReader.Builder#inMemoryBytes(long)}), in memory until {@link #entityFile()} asks for a
 * file. Temporary files are deleted by {@link #close()}: always close it (try-with-resources). Header values are
 * untrusted input.
 */
public final class DecryptedMessage implements AutoCloseable {

    private static final Session SESSION = Session.getInstance(new Properties());

    private final SmimeProfile profile;
    private final InternetHeaders outerHeaders;
    private final InternetHeaders innerHeaders;
    /** The entity's file: given (large messages), created on demand from {@link #inMemory}, or null until then. */
    private Path entityFile;
    /** The entity held in memory (small messages), else null. */
    private final Layer.InMemory inMemory;
    /** Where {@link #entityFile()} creates the file of an in-memory entity. */
    private final Path workDirectory;
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
        this.inMemory = null;
        this.workDirectory = null;
        this.verification = verification;
        this.layerCount = layerCount;
        this.tempFiles = new ArrayList<>(tempFiles);
    }

    /** An entity held in memory; a file in {@code workDirectory} is created only if {@link #entityFile()} is called. */
    DecryptedMessage(SmimeProfile profile, InternetHeaders outerHeaders, InternetHeaders innerHeaders,
                     Layer.InMemory entity, Path workDirectory, VerificationResult verification, int layerCount) {
        this.profile = profile;
        this.outerHeaders = outerHeaders;
        this.innerHeaders = innerHeaders;
        this.entityFile = null;
        this.inMemory = entity;
        this.workDirectory = workDirectory;
        this.verification = verification;
        this.layerCount = layerCount;
        this.tempFiles = new ArrayList<>();
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

    /**
     * The owner-only file holding the business entity (headers + body). Deleted by {@link #close()}. An entity held in
     * memory is written to a new temporary file in the reader's work directory on the first call; callers that only
     * need the content should prefer {@link #openEntityStream()} or {@link #businessEntity()}, which need no file.
     *
     * @throws java.io.UncheckedIOException the file for an in-memory entity cannot be written
     */
    public synchronized Path entityFile() {
        checkOpen();
        if (entityFile == null) {
            try {
                Path file = TempFiles.create(workDirectory, "entity-");
                tempFiles.add(file);
                try (OutputStream out = Files.newOutputStream(file)) {
                    out.write(inMemory.bytes(), 0, inMemory.length());
                }
                entityFile = file;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("Cannot write the decrypted entity to a temporary file in "
                                                       + workDirectory + ": " + e.getMessage(), e);
            }
        }
        return entityFile;
    }

    /** Whether the business entity is held in memory (no temporary file unless {@link #entityFile()} was called). */
    public boolean isInMemory() {
        return inMemory != null;
    }

    /** A new stream over the raw business entity (MIME headers + body). */
    public synchronized InputStream openEntityStream() throws IOException {
        checkOpen();
        if (inMemory != null) {
            return new ByteArrayInputStream(inMemory.bytes(), 0, inMemory.length());
        }
        return Files.newInputStream(entityFile);
    }

    /**
     * The business entity parsed as a MIME part, backed by the temporary file (parts are not loaded into memory) or by
     * the bytes held in memory. For KV-Connect it is the signed entity (usually {@code multipart/mixed}); for KIM the
     * inner mail.
     */
    public synchronized MimeMessage businessEntity() throws IOException {
        checkOpen();
        if (entity == null && inMemory != null) {
            try {
                entity = new InMemoryEntity(SESSION, new EntityBytes(inMemory));
            } catch (MessagingException e) {
                throw new IOException("The decrypted business entity cannot be parsed: " + e.getMessage(), e);
            }
        } else if (entity == null) {
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

    /** The in-memory entity as a shared stream whose header block is parsed without Jakarta Mail's scan. */
    private static final class EntityBytes extends SharedByteArrayInputStream {

        EntityBytes(Layer.InMemory entity) {
            super(entity.bytes(), 0, entity.length());
        }

        /** Parses the header block at the current position and moves past it (see {@link MimeFiles#parseHeaders}). */
        InternetHeaders readHeaders() {
            MimeFiles.HeaderBlock block = MimeFiles.parseHeaders(buf, pos, count);
            pos = block.end();
            return block.headers();
        }
    }

    /**
     * A MimeMessage parsed from {@link EntityBytes}: {@code new InternetHeaders(InputStream)} would scan the class path
     * for Jakarta Mail's StreamProvider on every message (docs/benchmarks.md); the module's own parser gives the same
     * headers. Everything else is plain MimeMessage.
     */
    private static final class InMemoryEntity extends MimeMessage {

        InMemoryEntity(Session session, EntityBytes in) throws MessagingException {
            super(session, in);
        }

        @Override
        protected InternetHeaders createInternetHeaders(InputStream is) throws MessagingException {
            return is instanceof EntityBytes bytes ? bytes.readHeaders() : super.createInternetHeaders(is);
        }
    }

    @Override
    public String toString() {
        return "DecryptedMessage[profile=" + profile + ", layers=" + layerCount + ", verification=" + verification.status() + "]";
    }
}
