package io.github.camelkvconnect.examples.oneclick.simulator;

import java.util.List;

import io.github.camelkvconnect.examples.oneclick.Begleitdatei;

/**
 * A Lieferung as the simulated KV received it, with the result of its checks.
 *
 * @param dispositionNotificationTo the Disposition-Notification-To header if the sender set one (1-Click forbids it;
 *                                  the KV ignores it)
 * @param parts                     every leaf part of the message, in order
 * @param begleitdateiBytes         the Begleitdatei exactly as received (returned unchanged in the Rueckmeldung), or
 *                                  null if there was none
 * @param begleitdatei              the Begleitdatei read and checked, or null if it was missing or invalid
 * @param problems                  the violated rules; empty if the Lieferung is accepted
 */
public record ReceivedLieferung(String messageId, String from, String subject, String dienstkennung,
                                String dispositionNotificationTo, String signatureStatus, List<Part> parts,
                                byte[] begleitdateiBytes, Begleitdatei begleitdatei, List<String> problems) {

    public ReceivedLieferung {
        parts = List.copyOf(parts);
        problems = List.copyOf(problems);
    }

    public boolean accepted() {
        return problems.isEmpty();
    }

    /**
     * One MIME part.
     *
     * @param contentType the Content-Type header as received
     * @param size        the decoded size in bytes
     * @param sha256      the SHA-256 of the decoded content, hex
     */
    public record Part(String fileName, String contentType, String disposition, String transferEncoding, long size,
                       String sha256) {
    }
}
