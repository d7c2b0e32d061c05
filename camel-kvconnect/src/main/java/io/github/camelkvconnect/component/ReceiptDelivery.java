package io.github.camelkvconnect.component;

import java.io.IOException;
import java.io.InterruptedIOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.component.rest.KvConnectServerUnreachableException;
import io.github.camelkvconnect.component.rest.MailHeader;
import io.github.camelkvconnect.component.state.PendingReceipts;

/**
 * Sends the recorded Eingangsbestaetigungen (receipts) of one consumer until the server accepted each one: right after a
 * message's exchange completed, and again at the start of every poll for those still pending (their backoff passed).
 * A receipt is removed from the record only after the POST succeeded; sending it again after a crash uses the same
 * Message-ID, and the server's duplicate answer for it counts as sent.
 * <p>
 * One receipt is sent at a time (the methods are synchronized): an exchange completing on another thread during a poll
 * never sends the same receipt twice in parallel.
 */
final class ReceiptDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiptDelivery.class);

    private enum Outcome {
        SENT,
        FAILED,
        /** The server is not reachable, or the consumer is stopping: no point in trying the other receipts now. */
        STOP
    }

    private final KvConnectEndpoint endpoint;
    private final PendingReceipts store;
    private final MdnSender mdnSender;

    ReceiptDelivery(KvConnectEndpoint endpoint, PendingReceipts store, MdnSender mdnSender) {
        this.endpoint = endpoint;
        this.store = store;
        this.mdnSender = mdnSender;
        refreshGauge();
    }

    /**
     * Records a receipt durably (before the original is deleted on the server).
     *
     * @throws IOException the record could not be written
     */
    synchronized void record(PendingReceipts.Receipt receipt) throws IOException {
        store.add(receipt);
        refreshGauge();
    }

    /** Sends a just recorded receipt once; if that fails it stays pending for the next polls. */
    synchronized ReceiptState send(PendingReceipts.Receipt receipt) {
        if (store.get(receipt.receiptMessageId()).isEmpty()) {
            // sent meanwhile by a poll
            return ReceiptState.SENT;
        }
        return attempt(receipt, true) == Outcome.SENT ? ReceiptState.SENT : ReceiptState.PENDING;
    }

    /** Sends the pending receipts whose backoff has passed, oldest first; never throws. */
    synchronized void sendDue() {
        for (PendingReceipts.Receipt receipt : store.due()) {
            if (attempt(receipt, false) == Outcome.STOP) {
                return;
            }
        }
    }

    private Outcome attempt(PendingReceipts.Receipt receipt, boolean justRecorded) {
        try {
            mdnSender.send(receipt);
        } catch (Exception e) {
            return failed(receipt, e);
        }
        endpoint.getStatistics().incReceiptsSent();
        if (justRecorded) {
            TestCrashPoint.reached(TestCrashPoint.RECEIPT_SENT);
        }
        try {
            store.remove(receipt.receiptMessageId());
        } catch (IOException | RuntimeException e) {
            // Sent, but still recorded: it is sent again later under the same Message-ID, which the server recognises.
            LOG.warn("The Eingangsbestaetigung {} for KV-Connect message {} was sent, but its record in {} cannot be removed "
                     + "({}); it will be sent again under the same Message-ID",
                    receipt.receiptMessageId(), MailHeader.display(receipt.originalMessageId()), store.getFile(),
                    e.getMessage());
        }
        refreshGauge();
        LOG.debug("Sent the Eingangsbestaetigung {} for KV-Connect message {} to {}", receipt.receiptMessageId(),
                MailHeader.display(receipt.originalMessageId()), receipt.recipient());
        return Outcome.SENT;
    }

    private Outcome failed(PendingReceipts.Receipt receipt, Exception e) {
        endpoint.getStatistics().incReceiptSendFailures();
        PendingReceipts.Receipt updated = store.recordFailure(receipt.receiptMessageId());
        int attempts = updated == null ? receipt.attempts() + 1 : updated.attempts();
        LOG.warn("Cannot send the Eingangsbestaetigung (receipt) {} for KV-Connect message {} to {} (attempt {}): {}; it "
                 + "stays recorded in {} and is sent again on a later poll",
                receipt.receiptMessageId(), MailHeader.display(receipt.originalMessageId()), receipt.recipient(), attempts,
                e.getMessage(), store.getFile());
        refreshGauge();
        return serverDownOrStopping(e) ? Outcome.STOP : Outcome.FAILED;
    }

    /** The failure is not the receipt's: the server is unreachable or the consumer is stopping (wrapped or not). */
    private static boolean serverDownOrStopping(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KvConnectServerUnreachableException || t instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    private void refreshGauge() {
        endpoint.getStatistics().pendingReceipts(store.size(), store.oldestRecordedAt().orElse(null));
    }
}
