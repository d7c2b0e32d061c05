package io.github.camelkvconnect.component;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of one endpoint, exposed over JMX through the endpoint. */
public final class KvConnectStatistics {

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong keptOnServer = new AtomicLong();
    private final AtomicLong decryptFailures = new AtomicLong();
    private final AtomicLong badSignatures = new AtomicLong();
    private final AtomicLong deleteFailures = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong receiptsSent = new AtomicLong();
    private final AtomicLong receiptSendFailures = new AtomicLong();
    /** Count and age of the consumer's pending receipts, refreshed on every change (one consistent pair). */
    private volatile PendingReceiptsGauge pendingReceipts = new PendingReceiptsGauge(0, null);

    /**
     * The Eingangsbestaetigungen (receipts) recorded but not yet sent.
     *
     * @param count              how many
     * @param oldestRecordedAt   when the oldest of them was recorded, or null if there is none
     */
    public record PendingReceiptsGauge(int count, Instant oldestRecordedAt) {
    }

    public long received() {
        return received.get();
    }

    public long sent() {
        return sent.get();
    }

    public long keptOnServer() {
        return keptOnServer.get();
    }

    public long decryptFailures() {
        return decryptFailures.get();
    }

    public long badSignatures() {
        return badSignatures.get();
    }

    public long deleteFailures() {
        return deleteFailures.get();
    }

    public long deleted() {
        return deleted.get();
    }

    /** Eingangsbestaetigungen (receipts) the server accepted. */
    public long receiptsSent() {
        return receiptsSent.get();
    }

    /** Failed attempts to send an Eingangsbestaetigung (each is retried). */
    public long receiptSendFailures() {
        return receiptSendFailures.get();
    }

    /** The receipts the consumer has recorded and not yet sent. */
    public PendingReceiptsGauge pendingReceipts() {
        return pendingReceipts;
    }

    void incReceiptsSent() {
        receiptsSent.incrementAndGet();
    }

    void incReceiptSendFailures() {
        receiptSendFailures.incrementAndGet();
    }

    void pendingReceipts(int count, Instant oldestRecordedAt) {
        pendingReceipts = new PendingReceiptsGauge(count, oldestRecordedAt);
    }

    void incReceived() {
        received.incrementAndGet();
    }

    void incSent() {
        sent.incrementAndGet();
    }

    void incKeptOnServer() {
        keptOnServer.incrementAndGet();
    }

    void incDecryptFailures() {
        decryptFailures.incrementAndGet();
    }

    void incBadSignatures() {
        badSignatures.incrementAndGet();
    }

    void incDeleteFailures() {
        deleteFailures.incrementAndGet();
    }

    void incDeleted() {
        deleted.incrementAndGet();
    }

    @Override
    public String toString() {
        return "received=" + received + ", sent=" + sent + ", keptOnServer=" + keptOnServer + ", decryptFailures="
               + decryptFailures + ", badSignatures=" + badSignatures + ", deleted=" + deleted + ", deleteFailures="
               + deleteFailures + ", receiptsSent=" + receiptsSent + ", receiptSendFailures=" + receiptSendFailures
               + ", pendingReceipts=" + pendingReceipts.count();
    }
}
