package io.github.camelkvconnect.component.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local record of messages that could not be read (fetch failed, decryption failed, signature rejected, processing
 * failed), one file per account.
 * <p>
 * A failed message stays on the server; without this ledger it would be fetched and decrypted again on every poll
 * (CPU, log floods, and a decryption oracle for whoever can put messages into the mailbox). Each entry holds the number
 * of attempts, the earliest next attempt (growing backoff) and the fingerprint of the keystore used: a changed keystore
 * makes all entries due at once.
 */
public final class FailureLedger {

    private static final Logger LOG = LoggerFactory.getLogger(FailureLedger.class);

    private final Path file;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Clock clock;
    private final Properties entries = new Properties();

    public FailureLedger(Path file, Duration initialBackoff, Duration maxBackoff, Clock clock) throws IOException {
        this.file = file;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.clock = clock;
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                entries.load(in);
            }
        }
    }

    /**
     * Whether the message may be read now: it has no failure record, its backoff has passed, or the keystore changed
     * since the failure.
     */
    public synchronized boolean isDue(String messageId, String keystoreFingerprint) {
        Entry e = entry(messageId);
        return e == null || !e.fingerprint.equals(keystoreFingerprint) || !clock.instant().isBefore(e.nextAttempt);
    }

    /**
     * Records one more failure and returns the number of failed attempts so far.
     *
     * @param reason why the message failed, e.g. {@code FETCH} or a decryption failure reason (kept for diagnosis; never
     *               content)
     */
    public synchronized int recordFailure(String messageId, String keystoreFingerprint, String reason) {
        Entry previous = entry(messageId);
        int attempts = previous == null ? 1 : previous.attempts + 1;
        long factor = 1L << Math.min(attempts - 1, 20);
        Duration wait = initialBackoff.multipliedBy(factor);
        if (wait.compareTo(maxBackoff) > 0) {
            wait = maxBackoff;
        }
        Instant next = clock.instant().plus(wait);
        entries.setProperty(messageId, attempts + ";" + next.toEpochMilli() + ";" + keystoreFingerprint + ";"
                                       + (reason == null ? "" : reason.replace(';', '_')));
        store();
        return attempts;
    }

    /** Forgets the failure record of a message (it was read, or is gone from the server). */
    public synchronized void clear(String messageId) {
        if (entries.remove(messageId) != null) {
            store();
        }
    }

    /** The number of failed attempts recorded for a message (0 if none). */
    public synchronized int attempts(String messageId) {
        Entry e = entry(messageId);
        return e == null ? 0 : e.attempts;
    }

    /** The reason of the last recorded failure of a message, or null if it has no failure record. */
    public synchronized String reason(String messageId) {
        Entry e = entry(messageId);
        return e == null ? null : e.reason;
    }

    /** The number of messages with a failure record. */
    public synchronized int size() {
        return entries.size();
    }

    /** Drops entries for messages that are no longer listed on the server. */
    public synchronized void retainOnly(java.util.Set<String> listedMessageIds) {
        if (entries.keySet().removeIf(k -> !listedMessageIds.contains(k))) {
            store();
        }
    }

    private Entry entry(String messageId) {
        String v = entries.getProperty(messageId);
        if (v == null) {
            return null;
        }
        String[] parts = v.split(";", 4);
        try {
            return new Entry(Integer.parseInt(parts[0]), Instant.ofEpochMilli(Long.parseLong(parts[1])),
                    parts.length > 2 ? parts[2] : "", parts.length > 3 ? parts[3] : "");
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void store() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                entries.store(out, "camel-kvconnect decryption/signature failure ledger");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // The ledger only throttles retries; losing it costs extra attempts, never messages.
            LOG.warn("Cannot write the failure ledger {}: {}", file, e.getMessage());
        }
    }

    private record Entry(int attempts, Instant nextAttempt, String fingerprint, String reason) {
    }
}
