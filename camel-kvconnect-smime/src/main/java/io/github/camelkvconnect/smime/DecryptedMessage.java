package io.github.camelkvconnect.smime;

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
import java.util.Set;
import java.util.Properties;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.SharedInputStream;

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
    private final List<EntityFileStream> openStreams = new ArrayList<>();
    /** Ends every stream over an in-memory entity when the message is closed. */
    private final Released released = new Released();
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
     * Headers that say who sent a message to whom, about what and in answer to what (lower case). When the message has
     * inner headers of its own ({@link #innerHeaders()} differs from {@link #outerHeaders()}: a signed KIM inner mail,
     * or the author's message inside a gateway's layer), these come from the inner headers only, never from the outer
     * ones, which anyone on the way can change (catalogue R15): an inner mail without Reply-To has none, whatever the
     * outside says.
     */
    public static final Set<String> ATTRIBUTION_HEADERS = Set.of("from", "sender", "reply-to", "to", "cc", "bcc",
            "subject", "date", "message-id", "in-reply-to", "references", "disposition-notification-to", "return-path");

    /**
     * Routing headers as a map with lower-case names: the inner headers, completed by the outer ones except for the
     * {@link #ATTRIBUTION_HEADERS}; Content-* and MIME-Version left out. The first value of each header counts.
     */
    public Map<String, String> routingHeaders() {
        Map<String, String> result = new LinkedHashMap<>();
        boolean separateInner = innerHeaders != outerHeaders;
        put(result, outerHeaders, separateInner);
        if (separateInner) {
            put(result, innerHeaders, false);
        }
        return Collections.unmodifiableMap(result);
    }

    private static void put(Map<String, String> target, InternetHeaders headers, boolean withoutAttribution) {
        Map<String, String> seen = new LinkedHashMap<>();
        for (Enumeration<Header> e = headers.getAllHeaders(); e.hasMoreElements();) {
            Header h = e.nextElement();
            String name = h.getName().toLowerCase(Locale.ROOT);
            if (withoutAttribution && ATTRIBUTION_HEADERS.contains(name)) {
                continue;
            }
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
            return new EntityBytes(inMemory, released);
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
                entity = new InMemoryEntity(SESSION, new EntityBytes(inMemory, released));
            } catch (MessagingException e) {
                throw unparsable(e);
            }
        } else if (entity == null) {
            try {
                EntityFileStream in = new EntityFileStream(entityFile.toFile());
                openStreams.add(in);
                entity = new MimeMessage(SESSION, in);
            } catch (MessagingException e) {
                throw unparsable(e);
            }
        }
        return entity;
    }

    /**
     * Jakarta Mail's parse errors quote pieces of the entity (e.g. a broken Content-Type), which is decrypted content:
     * only the exception's type is reported, and it is not attached as the cause.
     */
    private static IOException unparsable(MessagingException e) {
        return new IOException("The decrypted business entity cannot be parsed (" + e.getClass().getSimpleName() + ")");
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The decrypted message was closed and its temporary file deleted");
        }
    }

    /**
     * Closes the file behind {@link #businessEntity()} and deletes the temporary files; for an entity held in memory,
     * ends every stream over it (reads then fail with an IOException) and overwrites the bytes.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (EntityFileStream in : openStreams) {
            try {
                in.closeFile();
            } catch (IOException ignore) {
                // the file is deleted below anyway
            }
        }
        for (Path p : tempFiles) {
            TempFiles.deleteQuietly(p);
        }
        if (inMemory != null) {
            // the in-memory counterpart of deleting the file: streams still held fail, the decrypted bytes are gone
            released.done = true;
            java.util.Arrays.fill(inMemory.bytes(), 0, inMemory.length(), (byte) 0);
        }
    }

    /**
     * The in-memory entity as a shared stream (and the sub-streams Jakarta Mail makes of it for bodies and parts,
     * without copying): its header block is parsed without Jakarta Mail's scan, and once the message is closed every
     * read fails with an IOException, as reads of the deleted file do, instead of returning content the caller has
     * declared done with (the bytes are zeroed on close).
     */
    private static final class EntityBytes extends InputStream implements SharedInputStream {

        private final byte[] buf;
        private final int start;
        private final int end;
        private final Released released;
        private int pos;
        private int mark;

        EntityBytes(Layer.InMemory entity, Released released) {
            this(entity.bytes(), 0, entity.length(), released);
        }

        private EntityBytes(byte[] buf, int start, int end, Released released) {
            this.buf = buf;
            this.start = start;
            this.end = end;
            this.released = released;
            this.pos = start;
            this.mark = start;
        }

        /** Parses the header block at the current position and moves past it (see {@link MimeFiles#parseHeaders}). */
        synchronized InternetHeaders readHeaders() throws MessagingException {
            try {
                check();
            } catch (IOException e) {
                throw new MessagingException(e.getMessage(), e);
            }
            MimeFiles.HeaderBlock block = MimeFiles.parseHeaders(buf, pos, end);
            pos = block.end();
            return block.headers();
        }

        private void check() throws IOException {
            if (released.done) {
                throw new IOException("The decrypted message was closed; its content is no longer available");
            }
        }

        @Override
        public synchronized int read() throws IOException {
            check();
            return pos < end ? buf[pos++] & 0xff : -1;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            check();
            if (len == 0) {
                return 0;
            }
            if (pos >= end) {
                return -1;
            }
            int n = Math.min(len, end - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public synchronized long skip(long n) throws IOException {
            check();
            long k = Math.max(0, Math.min(n, end - pos));
            pos += (int) k;
            return k;
        }

        @Override
        public synchronized int available() throws IOException {
            check();
            return end - pos;
        }

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public synchronized void mark(int readLimit) {
            mark = pos;
        }

        @Override
        public synchronized void reset() throws IOException {
            check();
            pos = mark;
        }

        @Override
        public synchronized long getPosition() {
            return pos - start;
        }

        @Override
        public InputStream newStream(long from, long to) {
            if (from < 0) {
                throw new IllegalArgumentException("start < 0");
            }
            long length = end - start;
            long stop = to == -1 ? length : Math.min(to, length);
            return new EntityBytes(buf, start + (int) Math.min(from, stop), start + (int) stop, released);
        }
    }

    /** Set when the message is closed; shared by all streams over an in-memory entity. */
    private static final class Released {
        volatile boolean done;
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
