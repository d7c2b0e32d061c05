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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * <p>
 * A message that keeps failing to be read is <em>quarantined</em> ({@link #quarantine}): it stays on the server but is
 * no longer due, whatever its backoff says, until the keystore changes or an operator removes its entry (the file is a
 * properties file keyed by Message-ID; edit it only while the consumer is stopped, since the consumer rewrites it).
 */
public final class FailureLedger {

    private static final Logger LOG = LoggerFactory.getLogger(FailureLedger.class);

    private final Path file;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Clock clock;
    private static final String QUARANTINED = "Q";

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
        if (e == null || !e.fingerprint.equals(keystoreFingerprint)) {
            return true;
        }
        return !e.quarantined && !clock.instant().isBefore(e.nextAttempt);
    }

    /**
     * Records one more failure and returns the number of failed attempts so far. A failure under another keystore
     * than the recorded one starts counting (and backing off) anew and lifts a quarantine: the new keystore is a new
     * situation.
     *
     * @param reason why the message failed, e.g. {@code FETCH} or a decryption failure reason (kept for diagnosis; never
     *               content)
     */
    public synchronized int recordFailure(String messageId, String keystoreFingerprint, String reason) {
        Entry previous = entry(messageId);
        if (previous != null && !previous.fingerprint.equals(keystoreFingerprint)) {
            previous = null;
        }
        int attempts = previous == null ? 1 : previous.attempts + 1;
        long factor = 1L << Math.min(attempts - 1, 20);
        Duration wait = initialBackoff.multipliedBy(factor);
        if (wait.compareTo(maxBackoff) > 0) {
            wait = maxBackoff;
        }
        Instant next = clock.instant().plus(wait);
        put(messageId, new Entry(attempts, next, keystoreFingerprint, reason == null ? "" : reason.replace(';', '_'),
                false));
        return attempts;
    }

    /**
     * Quarantines a message that has a failure record: it is no longer due until the keystore changes or its entry is
     * removed. Persisted, so it survives a restart.
     *
     * @return true if the message was not quarantined before (the caller raises its alert once)
     */
    public synchronized boolean quarantine(String messageId) {
        Entry e = entry(messageId);
        if (e == null || e.quarantined) {
            return false;
        }
        put(messageId, new Entry(e.attempts, e.nextAttempt, e.fingerprint, e.reason, true));
        return true;
    }

    /** Whether the message is quarantined under this keystore (another keystore lifts the quarantine). */
    public synchronized boolean isQuarantined(String messageId, String keystoreFingerprint) {
        Entry e = entry(messageId);
        return e != null && e.quarantined && e.fingerprint.equals(keystoreFingerprint);
    }

    /** The Message-IDs quarantined under this keystore, sorted. */
    public synchronized List<String> quarantined(String keystoreFingerprint) {
        List<String> ids = new ArrayList<>();
        for (String id : entries.stringPropertyNames()) {
            if (isQuarantined(id, keystoreFingerprint)) {
                ids.add(id);
            }
        }
        Collections.sort(ids);
        return ids;
    }

    /**
     * Lifts the quarantine of a message (its failure record is removed): it is read again on the next poll.
     *
     * @return true if it was quarantined
     */
    public synchronized boolean release(String messageId) {
        Entry e = entry(messageId);
        if (e == null || !e.quarantined) {
            return false;
        }
        clear(messageId);
        return true;
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
        String[] parts = v.split(";", 5);
        try {
            return new Entry(Integer.parseInt(parts[0]), Instant.ofEpochMilli(Long.parseLong(parts[1])),
                    parts.length > 2 ? parts[2] : "", parts.length > 3 ? parts[3] : "",
                    parts.length > 4 && QUARANTINED.equals(parts[4]));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void put(String messageId, Entry e) {
        // attempts;next attempt (epoch ms);keystore fingerprint;reason[;Q]: files of earlier versions have no flag
        entries.setProperty(messageId, e.attempts + ";" + e.nextAttempt.toEpochMilli() + ";" + e.fingerprint + ";" + e.reason
                                       + (e.quarantined ? ";" + QUARANTINED : ""));
        store();
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

    private record Entry(int attempts, Instant nextAttempt, String fingerprint, String reason, boolean quarantined) {
    }
}
