package io.github.camelkvconnect.component.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;


/**
 * The send ledger of an account: for each idempotency key of an outgoing message, the Message-ID it is sent under and
 * whether the server accepted it. It makes sends retry-safe: the Message-ID is recorded ({@link State#PENDING}) and
 * forced to the disk <em>before</em> the message is posted, so a retry after a crash, a timeout or a lost answer posts
 * the same Message-ID again (and the server recognises it); a key recorded as {@link State#SENT} is not posted again.
 * <p>
 * One file per account ({@code <stateDirectory>/<account>.sent}), appended one record per line
 * ({@code P|S <epoch millis> <crc32> <Message-ID> <escaped key>}) and forced before a method returns. A line cut short
 * by a crash fails its checksum and is ignored. Several endpoints, in this JVM or in other processes, may share the
 * file: every operation holds an OS lock on {@code <account>.sent.lock} (never renamed) and first reads what the
 * others appended. The ledger keeps the newest {@code maxEntries} keys: once the file holds twice as many records it is
 * rewritten with the newest ones (temporary file, forced, renamed over the old one). A pruned key is no loss for a
 * derived Message-ID, which the same key gives again.
 */
public final class SendLedger {

    /** Whether the server accepted the message of a key. */
    public enum State {
        /** The Message-ID is fixed; the POST may or may not have reached the server. */
        PENDING,
        /** The server accepted the message (or answered that it already had it). */
        SENT
    }

    /** The record of one key. */
    public record Entry(String key, String messageId, State state, Instant recorded) {
    }

    /** One monitor per ledger file in this JVM: the OS lock cannot be taken twice by one process. */
    private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private final Path file;
    private final Path lockFile;
    private final int maxEntries;
    private final Clock clock;
    private final Object monitor;
    /** Oldest first; an updated key moves to the end. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private Object fileKey;
    private long offset;
    private int records;

    /**
     * @param file       the ledger file; its lock file is next to it
     * @param maxEntries how many of the newest keys to keep
     */
    public SendLedger(Path file, int maxEntries, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.file = file.toAbsolutePath().normalize();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.monitor = MONITORS.computeIfAbsent(this.file, f -> new Object());
    }

    /** The ledger of an account in a state directory. */
    public static SendLedger forAccount(Path stateDirectory, String account, int maxEntries, Clock clock) {
        return new SendLedger(stateDirectory.resolve(StateFiles.accountFileName(account, ".sent")), maxEntries, clock);
    }

    public Path getFile() {
        return file;
    }

    /** The record of a key, if the ledger holds one. */
    public Optional<Entry> find(String key) throws IOException {
        return locked(() -> Optional.ofNullable(entries.get(key)));
    }

    /**
     * Fixes the Message-ID of a key before its message is posted: records it as pending, durably, unless the key is
     * recorded already.
     *
     * @param  messageId the Message-ID to record if the key is new
     * @return the record in force: the existing one (its Message-ID and state win), or the new pending one
     */
    public Entry recordPending(String key, String messageId) throws IOException {
        return locked(() -> {
            Entry existing = entries.get(key);
            if (existing != null) {
                return existing;
            }
            Entry pending = new Entry(key, messageId, State.PENDING, clock.instant());
            append(pending);
            return pending;
        });
    }

    /** Records that the server accepted the message of a key, durably. */
    public void recordSent(String key, String messageId) throws IOException {
        locked(() -> {
            Entry existing = entries.get(key);
            if (existing == null || existing.state() != State.SENT || !existing.messageId().equals(messageId)) {
                append(new Entry(key, messageId, State.SENT, clock.instant()));
            }
            return null;
        });
    }

    /** The number of keys held. */
    public int size() throws IOException {
        return locked(entries::size);
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    private <T> T locked(IoAction<T> action) throws IOException {
        synchronized (monitor) {
            try {
                Files.createDirectories(file.getParent());
                // closing this channel drops every lock of this process on the lock file (POSIX): nothing else here
                // opens it
                try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock ignored = lockChannel.lock()) {
                    catchUp();
                    return action.run();
                }
            } catch (IOException e) {
                throw new IOException("Cannot read or write the send ledger " + file + " (" + e + "); check that the "
                                      + "state directory is writable and has space", e);
            }
        }
    }

    /** Reads the records appended since the last look (by any process); everything again if the file was replaced. */
    private void catchUp() throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            entries.clear();
            fileKey = null;
            offset = 0;
            records = 0;
            return;
        }
        Object key = attributes.fileKey();
        if (offset == 0 || !Objects.equals(key, fileKey) || attributes.size() < offset) {
            entries.clear();
            offset = 0;
            records = 0;
            fileKey = key;
        }
        if (attributes.size() == offset) {
            return;
        }
        byte[] added;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = in.size() - offset;
            if (length > Integer.MAX_VALUE - 16) {
                throw new IOException("The send ledger " + file + " is implausibly large; move it away to start a new one");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) length);
            while (buffer.hasRemaining() && in.read(buffer, offset + buffer.position()) >= 0) {
                // read on until the buffer is full or the file ends
            }
            added = java.util.Arrays.copyOf(buffer.array(), buffer.position());
        }
        int start = 0;
        for (int i = 0; i < added.length; i++) {
            if (added[i] == '\n') {
                apply(parse(new String(added, start, i - start, StandardCharsets.UTF_8)));
                start = i + 1;
            }
        }
        // bytes after the last newline: a record cut short by a crash (or nothing); appends start a new line
        offset += start;
    }

    private void apply(Entry entry) {
        records++;
        if (entry != null) {
            entries.remove(entry.key());
            entries.put(entry.key(), entry);
        }
    }

    private void append(Entry entry) throws IOException {
        boolean created = !Files.exists(file);
        long size;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            // a torn last line (crash) is ended first, so that this record starts on its own line
            String prefix = out.size() > offset ? "\n" : "";
            ByteBuffer line = ByteBuffer.wrap((prefix + format(entry) + "\n").getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) {
                out.write(line);
            }
            out.force(false);
            size = out.size();
        }
        if (created) {
            DurableFiles.forceDirectory(file.getParent());
            fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        }
        offset = size;
        apply(entry);
        if (records >= 2 * maxEntries) {
            compact();
        }
    }

    /** Rewrites the file with the newest {@code maxEntries} keys; the old file stays complete until the rename. */
    private void compact() throws IOException {
        Iterator<Entry> oldestFirst = entries.values().iterator();
        for (int excess = entries.size() - maxEntries; excess > 0; excess--) {
            oldestFirst.next();
            oldestFirst.remove();
        }
        StringBuilder content = new StringBuilder();
        for (Entry e : entries.values()) {
            content.append(format(e)).append('\n');
        }
        DurableFiles.replace(file, ".sent-", content.toString().getBytes(StandardCharsets.UTF_8));
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        fileKey = attributes.fileKey();
        offset = attributes.size();
        records = entries.size();
    }

    static String format(Entry e) {
        if (e.messageId().isEmpty() || e.messageId().chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("A Message-ID in the send ledger must be visible ASCII without spaces");
        }
        String body = e.recorded().toEpochMilli() + " " + e.messageId() + " " + DeliveredRecords.escape(e.key());
        String state = e.state() == State.SENT ? "S" : "P";
        return state + " " + crc(state + " " + body) + " " + body;
    }

    /** @return the record, or null for a line that is not a complete record (cut short by a crash) */
    static Entry parse(String line) {
        String[] parts = line.split(" ", 5);
        if (parts.length != 5 || !(parts[0].equals("P") || parts[0].equals("S"))) {
            return null;
        }
        String body = parts[2] + " " + parts[3] + " " + parts[4];
        if (!parts[1].equals(crc(parts[0] + " " + body))) {
            return null;
        }
        try {
            return new Entry(DeliveredRecords.unescape(parts[4]), parts[3], parts[0].equals("S") ? State.SENT : State.PENDING,
                    Instant.ofEpochMilli(Long.parseLong(parts[2])));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String crc(String s) {
        CRC32 crc = new CRC32();
        crc.update(s.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

}
