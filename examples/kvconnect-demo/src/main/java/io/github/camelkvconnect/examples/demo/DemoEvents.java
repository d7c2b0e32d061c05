package io.github.camelkvconnect.examples.demo;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the routes did, for whoever waits for it: the {@code --once} run waits here for "sent", "stored" and
 * "receipt" instead of polling folders, and the receipt log line names the outbox file an MDN belongs to.
 * Futures are created by whichever side comes first, so the order of events does not matter. In memory only: after a
 * restart, receipts for earlier messages are still logged, just without the file name.
 */
final class DemoEvents {

    /** A file from an outbox, sent as an eArztbrief. */
    record Sent(String messageId, String fileName, String from, String to, Instant at) {
    }

    /** A received message, written to an inbox folder. */
    record Stored(String messageId, Path folder, String signatureStatus) {
    }

    /** A received Eingangsbestaetigung (MDN). */
    record Receipt(String originalMessageId, String from, String disposition, String signatureStatus, Instant at) {
    }

    private final Map<String, CompletableFuture<Sent>> sentByFile = new ConcurrentHashMap<>();
    private final Map<String, Sent> sentById = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Stored>> stored = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Receipt>> receipts = new ConcurrentHashMap<>();

    void sent(Sent sent) {
        sentById.put(MessageIds.normalize(sent.messageId()), sent);
        sentFuture(sent.fileName()).complete(sent);
    }

    /** A file could not be sent (it was moved to failed/). */
    void sendFailed(String fileName, Exception cause) {
        sentFuture(fileName).completeExceptionally(new DemoException("sending " + fileName + " failed: "
                                                                     + cause.getMessage(), cause));
    }

    void stored(Stored stored) {
        storedFuture(stored.messageId()).complete(stored);
    }

    void receipt(Receipt receipt) {
        receiptFuture(receipt.originalMessageId()).complete(receipt);
    }

    /** @return the send of the outbox file with this name (completes when it was sent) */
    CompletableFuture<Sent> sentFuture(String fileName) {
        return sentByFile.computeIfAbsent(fileName, k -> new CompletableFuture<>());
    }

    /** @return the storing of the message with this Message-ID in an inbox */
    CompletableFuture<Stored> storedFuture(String messageId) {
        return stored.computeIfAbsent(MessageIds.normalize(messageId), k -> new CompletableFuture<>());
    }

    /** @return the Eingangsbestaetigung for the message with this Message-ID */
    CompletableFuture<Receipt> receiptFuture(String messageId) {
        return receipts.computeIfAbsent(MessageIds.normalize(messageId), k -> new CompletableFuture<>());
    }

    /** @return what was sent with this Message-ID in this run, or null */
    Sent sentMessage(String messageId) {
        return sentById.get(MessageIds.normalize(messageId));
    }
}
