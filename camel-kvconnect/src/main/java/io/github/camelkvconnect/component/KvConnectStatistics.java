package io.github.camelkvconnect.component;

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
               + deleteFailures;
    }
}
