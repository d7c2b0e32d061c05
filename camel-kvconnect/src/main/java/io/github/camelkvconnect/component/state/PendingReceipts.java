package io.github.camelkvconnect.component.state;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;


/**
 * The Eingangsbestaetigungen (receipts, MDNs) of one account that were promised but not yet sent, one file per account
 * ({@code <account>.receipts} in the state directory).
 * <p>
 * A receipt is recorded here before the original message is deleted on the server, with everything needed to send it
 * later without the original. It stays here until the server accepted it: a failed POST, or a crash before or during
 * the POST, leaves it for the next attempt (growing backoff while the process runs; due at once after a restart).
 * The receipt's Message-ID is derived from the account and the original Message-ID ({@link #receiptMessageId}), so a
 * receipt sent again after a crash is the same message and the server can recognise it.
 * <p>
 * Every change is written to a new file that is forced to the disk and renamed over the old one before the method
 * returns: the file is always complete, and a recorded receipt survives a crash or power loss.
 */
public final class PendingReceipts {

    private static final String FORMAT = "# camel-kvconnect pending receipts v1";

    /**
     * One promised receipt.
     *
     * @param receiptMessageId  the Message-ID the receipt is sent under (angle brackets included)
     * @param originalMessageId the Message-ID of the received message the receipt confirms
     * @param recipient         the original sender, who gets the receipt
     * @param dienstkennung     the receipt's Dienstkennung (X-KVC-Dienstkennung), or null
     * @param recordedAt        when the receipt was recorded
     * @param attempts          failed send attempts so far
     */
    public record Receipt(String receiptMessageId, String originalMessageId, String recipient, String dienstkennung,
                          Instant recordedAt, int attempts) {

        Receipt withAttempts(int n) {
            return new Receipt(receiptMessageId, originalMessageId, recipient, dienstkennung, recordedAt, n);
        }
    }

    private final Path file;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Clock clock;
    /** Oldest first; keyed by the receipt's Message-ID. */
    private final Map<String, Receipt> receipts = new LinkedHashMap<>();
    /** When each receipt may be sent again; not persisted: after a restart every receipt is due at once. */
    private final Map<String, Instant> nextAttempt = new LinkedHashMap<>();

    /**
     * Opens (reads) the account's receipts file, if there is one.
     *
     * @param  initialBackoff the wait after the first failed attempt, doubled after each further one
     * @param  maxBackoff     the longest wait between two attempts
     * @throws IOException    the file cannot be read, or holds a line this class did not write (the message names the
     *                        file and line; nothing is dropped silently)
     */
    public PendingReceipts(Path file, Duration initialBackoff, Duration maxBackoff, Clock clock) throws IOException {
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("receiptRetryBackoff (" + initialBackoff.toMillis() + " ms) must not be "
                                               + "negative nor longer than receiptRetryBackoffMax ("
                                               + maxBackoff.toMillis() + " ms)");
        }
        this.file = file;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.clock = clock;
        if (Files.exists(file)) {
            load();
        }
    }

    /**
     * The Message-ID of the receipt for a message: the same for the same account and original Message-ID, in this and
     * every later process, so that sending it again is recognisably the same message.
     */
    public static String receiptMessageId(String account, String originalMessageId) {
        String a = account.strip().toLowerCase(Locale.ROOT);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(a.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            sha.update(originalMessageId.getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(sha.digest(), 0, 20);
            return "<receipt." + hash + "@" + a.substring(a.indexOf('@') + 1) + ">";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    public Path getFile() {
        return file;
    }

    /**
     * Records a receipt durably (on the disk when this returns). A receipt with the same Message-ID already pending is
     * kept as it is.
     *
     * @return             false if the receipt was pending already
     * @throws IOException the record could not be written; nothing was recorded
     */
    public synchronized boolean add(Receipt receipt) throws IOException {
        if (receipts.containsKey(receipt.receiptMessageId())) {
            return false;
        }
        receipts.put(receipt.receiptMessageId(), receipt);
        try {
            write();
        } catch (IOException | RuntimeException e) {
            receipts.remove(receipt.receiptMessageId());
            throw e;
        }
        nextAttempt.put(receipt.receiptMessageId(), clock.instant());
        return true;
    }

    /**
     * Removes a receipt that was sent (durably).
     *
     * @throws IOException the file could not be rewritten; the receipt stays pending (sending it again is recognised by
     *                     its Message-ID)
     */
    public synchronized void remove(String receiptMessageId) throws IOException {
        Receipt removed = receipts.remove(receiptMessageId);
        if (removed == null) {
            return;
        }
        try {
            write();
        } catch (IOException | RuntimeException e) {
            receipts.put(receiptMessageId, removed);
            throw e;
        }
        nextAttempt.remove(receiptMessageId);
    }

    /**
     * Records a failed send attempt: the receipt waits {@code initialBackoff * 2^(attempts-1)}, at most
     * {@code maxBackoff}, before it is due again. The attempt count is written as well; if that fails the count is
     * kept in memory only (it does not decide anything).
     *
     * @return the receipt with its new attempt count, or null if it is not pending
     */
    public synchronized Receipt recordFailure(String receiptMessageId) {
        Receipt r = receipts.get(receiptMessageId);
        if (r == null) {
            return null;
        }
        Receipt updated = r.withAttempts(r.attempts() + 1);
        receipts.put(receiptMessageId, updated);
        nextAttempt.put(receiptMessageId, clock.instant().plus(backoff(updated.attempts())));
        try {
            write();
        } catch (IOException | RuntimeException ignore) {
            // only the attempt count would be lost; the receipt itself is already on the disk
        }
        return updated;
    }

    /** The wait after the given number of failed attempts. */
    Duration backoff(int attempts) {
        Duration wait = initialBackoff.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 30));
        return wait.compareTo(maxBackoff) > 0 || wait.isNegative() ? maxBackoff : wait;
    }

    /** The receipts whose backoff has passed, oldest first. */
    public synchronized List<Receipt> due() {
        Instant now = clock.instant();
        List<Receipt> due = new ArrayList<>();
        for (Receipt r : receipts.values()) {
            Instant next = nextAttempt.get(r.receiptMessageId());
            if (next == null || !now.isBefore(next)) {
                due.add(r);
            }
        }
        return due;
    }

    /** The pending receipt with this Message-ID, if any. */
    public synchronized Optional<Receipt> get(String receiptMessageId) {
        return Optional.ofNullable(receipts.get(receiptMessageId));
    }

    /** The number of pending receipts. */
    public synchronized int size() {
        return receipts.size();
    }

    /** When the oldest pending receipt was recorded, if there is one. */
    public synchronized Optional<Instant> oldestRecordedAt() {
        return receipts.values().stream().map(Receipt::recordedAt).min(Instant::compareTo);
    }

    private void load() throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ", -1);
            try {
                if (f.length != 6) {
                    throw new IllegalArgumentException("expected 6 fields, found " + f.length);
                }
                Receipt r = new Receipt(decode(f[0]), decode(f[1]), decode(f[2]), f[3].isEmpty() ? null : decode(f[3]),
                        Instant.ofEpochMilli(Long.parseLong(f[4])), Integer.parseInt(f[5]));
                if (r.receiptMessageId().isEmpty() || r.recipient().isEmpty()) {
                    throw new IllegalArgumentException("empty Message-ID or recipient");
                }
                receipts.put(r.receiptMessageId(), r);
            } catch (IllegalArgumentException e) {
                // Written only by this class, atomically: a bad line was put there by someone else. Dropping it would
                // silently lose a promised receipt, so say where it is.
                throw new IOException("Line " + lineNo + " of the pending receipts file " + file + " is not a receipt record ("
                                      + e.getMessage() + "); correct or remove that line and start again");
            }
        }
    }

    /** Replaces the file by one holding exactly the current receipts (temporary file, force, atomic rename). */
    private void write() throws IOException {
        StringBuilder sb = new StringBuilder(FORMAT).append('\n');
        for (Receipt r : receipts.values()) {
            sb.append(encode(r.receiptMessageId())).append(' ')
                    .append(encode(r.originalMessageId())).append(' ')
                    .append(encode(r.recipient())).append(' ')
                    .append(r.dienstkennung() == null ? "" : encode(r.dienstkennung())).append(' ')
                    .append(r.recordedAt().toEpochMilli()).append(' ')
                    .append(r.attempts()).append('\n');
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        DurableFiles.replace(file, ".receipts-", sb.toString().getBytes(StandardCharsets.UTF_8));
    }


    /** Percent-encoding: no field can contain the separator or a line break. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
